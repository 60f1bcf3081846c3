// Small behaviours without inline scripts (the CSP forbids them).
document.addEventListener("DOMContentLoaded", () => {
  // Elements with data-autofocus get the cursor: the desk works from the keyboard.
  const first = document.querySelector("[data-autofocus]");
  if (first) first.focus();
  // Buttons with data-confirm ask before submitting.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
});
