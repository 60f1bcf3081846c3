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

// A table or chart wider than the screen scrolls inside its box: the box then takes the keyboard focus
// (arrow keys scroll it) and is named after the heading above it (WCAG 2.1.1; axe "scrollable-region-focusable").
function keyboardScrollableRegions(root) {
  root.querySelectorAll(".table-responsive, .overflow-auto").forEach((box) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      let heading = box.previousElementSibling;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
      const section = box.closest("section");
      heading = heading || (section && section.querySelector("h1, h2, h3, h4, h5, h6")) || document.querySelector("main h1");
      box.setAttribute("aria-label", heading ? heading.textContent.trim() : document.title);
      box.dataset.scrollRegion = "";
    } else if (!scrolls && box.dataset.scrollRegion !== undefined) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      delete box.dataset.scrollRegion;
    }
  });
}
document.addEventListener("DOMContentLoaded", () => keyboardScrollableRegions(document));
window.addEventListener("resize", () => keyboardScrollableRegions(document));
document.addEventListener("htmx:afterSwap", (event) => keyboardScrollableRegions(event.target.parentElement || document));
