// The calculators page: one calculator per instrument of
// GET /api/v1/instruments; each result comes from POST /api/v1/score/{name}
// as the fields change. Every parameter is sent, an empty field or an
// "(unknown)" choice as null: the API needs every item of an instrument (an
// omitted item is never taken as absent), and a field left alone is unknown,
// never "no" (a yes/no item is "no" only when "no" is chosen).
"use strict";
(function () {
  const { el, postJSON } = window.clinscores;
  const root = document.getElementById("calculators");

  function control(inst, p) {
    const id = "p-" + inst.name + "-" + p.name;
    const d = p.domain;
    let node;
    if (d.flag || d.words.length) {
      node = el("select", { id, name: p.name, dataset: { kind: "json" } },
        el("option", { value: "", text: "(unknown)" }));
      const choices = d.flag ? [[true, "yes"], [false, "no"]] : d.words.map((w) => [w, w.replace(/_/g, " ")]);
      for (const [value, text] of choices) node.append(el("option", { value: JSON.stringify(value), text }));
    } else {
      node = el("input", {
        id, name: p.name, type: "number", step: d.integer ? "1" : "any",
        min: d.minimum, max: d.maximum, dataset: { kind: "number" },
      });
    }
    return el("div", { class: "field" },
      el("label", { for: id, text: p.name.replace(/_/g, " ") }), node,
      el("small", { text: p.text + (p.required ? "" : " (one of: " + inst.one_of.join(", ") + ")") }));
  }

  function values(box) {
    const out = {};
    for (const c of box.querySelectorAll("input, select")) {
      const raw = c.value.trim();
      if (raw === "") { out[c.name] = null; continue; }
      out[c.name] = c.dataset.kind === "json" ? JSON.parse(raw) : Number(raw);
    }
    return out;
  }

  function shown(v) {
    if (v === null || v === undefined) return "unknown";
    if (v === true) return "yes";
    if (v === false) return "no";
    return String(v);
  }

  function render(inst, out, status, doc) {
    out.replaceChildren();
    if (status !== 200) {
      out.append(el("p", { class: "error", text: doc.error || "error " + status }));
      out.dataset.state = "error";
      return;
    }
    out.dataset.state = "ok";
    const list = el("dl", {});
    for (const o of inst.outputs) {
      let v = doc.result[o.name];
      if (o.name === inst.name && doc.reported && doc.reported[inst.name] !== undefined) v = doc.reported[inst.name];
      list.append(el("dt", { text: o.name.replace(/_/g, " ") }),
        el("dd", { class: "out-" + o.name, dataset: { value: JSON.stringify(v) }, text: shown(v) }));
    }
    out.append(list);
  }

  function calculator(inst) {
    const box = el("form", { class: "inputs", novalidate: true });
    for (const p of inst.parameters) box.append(control(inst, p));
    const out = el("div", { class: "output", id: "out-" + inst.name, "aria-live": "polite" });
    const section = el("section", { class: "calc", id: "calc-" + inst.name },
      el("h2", { text: inst.name }), el("p", { text: inst.summary }), box, out,
      inst.references.length ? el("p", { class: "refs", text: "Source: " + inst.references.join("; ") }) : null);
    let timer = null;
    let serial = 0;
    const update = () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const mine = ++serial;
        const { status, doc } = await postJSON("/api/v1/score/" + encodeURIComponent(inst.name), values(box));
        if (mine === serial) render(inst, out, status, doc);
      }, 120);
    };
    box.addEventListener("input", update);
    box.addEventListener("change", update);
    box.addEventListener("submit", (e) => e.preventDefault());
    update();
    return section;
  }

  fetch("/api/v1/instruments")
    .then((r) => r.json())
    .then((list) => {
      const nav = el("nav", { class: "toc" });
      for (const inst of list) nav.append(el("a", { href: "#calc-" + inst.name, text: inst.name }), " ");
      root.append(nav);
      for (const inst of list) root.append(calculator(inst));
      document.body.dataset.ready = "1";
    })
    .catch((err) => root.append(el("p", { class: "error", text: "the instruments could not be loaded: " + err })));
})();
