"""Outbound e-mail and SMS through an outbox (CONTRACTS.md): every message is a row first, then delivered
by the worker with retries, so a failing mail server never breaks or slows down the action that sent it."""
