// Intake desk helpers (no inline scripts: the CSP forbids them).
// "Tất cả có – bản chính" marks every required document present as an original: the common case at the counter.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-checklist-all-present]");
  if (!button) return;
  const table = button.previousElementSibling;
  const scope = table && table.matches("table") ? table : document;
  scope.querySelectorAll("select[data-checklist-state]").forEach((select) => {
    select.value = "co";
  });
  scope.querySelectorAll("select[data-checklist-form]").forEach((select) => {
    if (!select.value) select.value = "ban_chinh";
  });
});

// A type picked before htmx was ready (a fast hand, a slow page) still gets its checklist.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.querySelector("select[hx-get][name='organisation_type']");
  const target = document.getElementById("checklist");
  if (select && target && select.value && !target.querySelector("table") && window.htmx) {
    window.htmx.trigger(select, "change");
  }
});

// "In phiếu": print the page (the lookup-secret slip); the stylesheet hides everything else.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
