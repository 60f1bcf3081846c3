// Procedures narrowed to the chosen seal, on the desk and on the off-site form (no inline scripts: strict CSP).
// Each seal's list comes from /seals/<id>/procedures/ when needed; the browser revalidates it with its ETag.
(() => {
  const lists = new Map(); // url -> Promise of [{id, label}]

  function load(form, sealId) {
    const url = form.dataset.proceduresUrl.replace("/0/", `/${sealId}/`);
    if (!lists.has(url)) {
      lists.set(
        url,
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then((response) => (response.ok ? response.json() : { procedures: [] }))
          .then((data) => data.procedures)
          .catch(() => []),
      );
    }
    return lists.get(url);
  }

  const fold = (text) =>
    text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();

  function sealIds(select) {
    return Array.from(select.options).map((o) => o.value).filter(Boolean);
  }

  // --- the desk: a datalist under the procedure box --------------------------------------------------
  function desk(form) {
    const seal = form.querySelector("select[name='seal']");
    const input = form.querySelector("input[name='procedure']");
    const datalist = document.getElementById(input.getAttribute("list"));
    let shown = "";

    async function fill() {
      const ids = seal.value ? [seal.value] : sealIds(seal);
      const key = ids.join(",");
      if (key === shown) return;
      shown = key;
      const all = await Promise.all(ids.map((id) => load(form, id)));
      if (shown !== key) return; // the clerk changed seal meanwhile
      const seen = new Set();
      const fragment = document.createDocumentFragment();
      all.flat().forEach((p) => {
        if (seen.has(p.label)) return;
        seen.add(p.label);
        const option = document.createElement("option");
        option.value = p.label;
        fragment.appendChild(option);
      });
      datalist.replaceChildren(fragment);
    }

    // A procedure picked or typed selects its seal when the current one does not serve it.
    async function followProcedure() {
      const text = input.value.trim();
      if (!text) return;
      const key = fold(text.split(" — ")[0]);
      const matches = (p) => p.label === text || fold(p.label.split(" — ")[0]) === key;
      if (seal.value && (await load(form, seal.value)).some(matches)) return;
      for (const id of sealIds(seal)) {
        if ((await load(form, id)).some(matches)) {
          seal.value = id;
          seal.dispatchEvent(new Event("change", { bubbles: true }));
          return;
        }
      }
    }

    seal.addEventListener("change", fill);
    input.addEventListener("change", followProcedure);
    input.addEventListener("focus", fill, { once: true });
    if (seal.value || document.activeElement === input) fill();
  }

  // --- the off-site form: a checkbox list with a filter box -------------------------------------------
  function offsite(form) {
    const seal = form.querySelector("select[name='seal']");
    const box = form.querySelector("[data-procedure-list]");
    const filter = form.querySelector("[data-procedure-filter]");
    const empty = form.querySelector("[data-procedure-empty]");
    const name = box.dataset.name;

    function applyFilter() {
      const words = fold(filter.value).split(/\s+/).filter(Boolean);
      let visible = 0;
      box.querySelectorAll(".form-check").forEach((row) => {
        const text = fold(row.textContent);
        const show = words.every((w) => text.includes(w)) || row.querySelector("input").checked;
        row.hidden = !show;
        if (show) visible += 1;
      });
      empty.hidden = visible > 0;
    }

    async function fill() {
      const checked = new Set(Array.from(box.querySelectorAll("input:checked")).map((i) => i.value));
      const procedures = seal.value ? await load(form, seal.value) : [];
      const fragment = document.createDocumentFragment();
      procedures.forEach((p, index) => {
        const row = document.createElement("div");
        row.className = "form-check";
        const input = document.createElement("input");
        Object.assign(input, { type: "checkbox", className: "form-check-input", name, value: String(p.id) });
        input.id = `id_${name}_${index}`;
        input.checked = checked.has(String(p.id));
        const label = document.createElement("label");
        label.className = "form-check-label";
        label.htmlFor = input.id;
        label.textContent = p.label;
        row.append(input, label);
        fragment.appendChild(row);
      });
      box.replaceChildren(fragment);
      applyFilter();
    }

    seal.addEventListener("change", fill);
    filter.addEventListener("input", applyFilter);
    applyFilter();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-procedure-picker]").forEach((form) => {
      if (form.querySelector("[data-procedure-list]")) offsite(form);
      else desk(form);
    });
  });
})();
