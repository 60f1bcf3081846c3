"""`{% today_counts counts %}`: the dashboard's count tiles (`core.dashboard.today_counts_html`)."""

from django import template

from tuson_hcc.core.dashboard import today_counts_html

register = template.Library()
register.simple_tag(today_counts_html, name="today_counts")
