// The calculators page: one calculator per instrument of GET /api/v1/instruments
// (its display name, the label, unit and help of each parameter, the
// categories with their cut-offs), each result from POST /api/v1/score/{name}
// as the fields change; and the BILAG-2004 calculator (the form of
// GET /api/v1/bilag2004, with the words of the patient schema's
// sle.bilag2004_form, graded by POST /api/v1/bilag2004).
// Every parameter is sent, an empty field or a "Not known" choice as null:
// the API needs every item (an omitted item is never taken as absent). Until
// a calculator is used its result is a dash.
"use strict";
(function () {
  const { el, postJSON, getJSON, humanize, sentence, clinicalText } = window.clinscores;
  const root = document.getElementById("calculators");
  const DASH = "—";

  const displayName = (inst) => inst.display_name || inst.name.toUpperCase().replace(/_/g, " ");
  const labelOf = (p) => p.label || sentence(humanize(p.name));
  const hintOf = (p) => p.hint || p.text || "";
  const wordLabel = (p, w) => (p.word_labels && p.word_labels[w]) || sentence(humanize(w));
  const allFlags = (inst) => inst.parameters.every((p) => p.domain.flag);

  // one input for the parameters of one_of when they are one analyte in two units
  function unitChoice(inst) {
    const choice = (inst.unit_choices || [])[0];
    if (choice) {
      const ps = choice.parameters.map((n) => inst.parameters.find((p) => p.name === n));
      if (ps.every(Boolean)) {
        ps.label = choice.label;
        ps.forEach((p, i) => { ps[i] = { ...p, unit: choice.units[i] || p.unit }; });
        return ps;
      }
    }
    if (inst.one_of.length < 2) return null;
    const ps = inst.one_of.map((n) => inst.parameters.find((p) => p.name === n));
    const base = (p) => labelOf(p).replace(/\s*\([^)]*\)\s*$/, "");
    return ps.every((p) => p && p.unit && base(p) === base(ps[0])) ? ps : null;
  }

  function numberInput(id, name, p, describedBy) {
    return el("input", {
      id, name, type: "text", inputmode: p.domain.integer ? "numeric" : "decimal",
      autocomplete: "off", spellcheck: "false", class: "input input-number",
      "aria-describedby": describedBy, dataset: { kind: "number" },
    });
  }

  function control(inst, p, checkboxes) {
    const id = "p-" + inst.name + "-" + p.name;
    const d = p.domain;
    const hint = hintOf(p);
    const help = p.help || "";
    const hintId = id + "-hint";
    if (d.flag && checkboxes) {
      const box = el("input", { type: "checkbox", id, name: p.name, dataset: { kind: "check" }, "aria-describedby": help ? hintId : null });
      return el("div", { class: "checkbox-field" },
        el("span", { class: "checkbox" }, box, el("label", { for: id, text: labelOf(p) })),
        help ? el("p", { class: "hint", id: hintId, text: help }) : null);
    }
    let node;
    const small = d.integer && !d.flag && !d.words.length && d.minimum !== null && d.maximum !== null && d.maximum - d.minimum <= 4;
    if (small) {
      // a short scale (HAQ-DI 0..3): its points in words, from the help
      const w = {};
      const re = /(\d)\s+([^,;.\d][^,;.]*)/g;
      let m;
      while ((m = re.exec(help))) w[m[1]] = m[2].trim();
      const described = help && !Object.keys(w).length;
      node = el("select", { id, name: p.name, class: "select", dataset: { kind: "json" }, "aria-describedby": described ? hintId : null },
        el("option", { value: "", text: "Not known" }));
      for (let v = d.minimum; v <= d.maximum; v++) node.append(el("option", { value: String(v), text: w[v] ? v + " " + w[v] : String(v) }));
      return el("div", { class: "field" }, el("label", { for: id, class: "label", text: labelOf(p) }),
        described ? el("p", { class: "hint", id: hintId, text: help }) : null, node);
    }
    if (d.flag || d.words.length) {
      node = el("select", { id, name: p.name, class: "select", dataset: { kind: "json" }, "aria-describedby": hintId },
        el("option", { value: "", text: "Not known" }));
      const choices = d.flag ? [[true, "Yes"], [false, "No"]] : d.words.map((w) => [w, wordLabel(p, w)]);
      for (const [value, text] of choices) node.append(el("option", { value: JSON.stringify(value), text }));
    } else {
      node = numberInput(id, p.name, p, hintId);
    }
    const stop = (t) => (t && !/[.!?]$/.test(t) ? t + "." : t);
    const words = [stop(help), d.flag || d.words.length ? "" : (hint ? "Allowed: " + hint + "." : "")].filter(Boolean).join(" ");
    return el("div", { class: "field" },
      el("label", { for: id, class: "label" }, labelOf(p), p.unit && !d.flag && !d.words.length ? el("span", { class: "unit", text: " (" + p.unit + ")" }) : null),
      words ? el("p", { class: "hint", id: hintId, text: words }) : null,
      node);
  }

  function analyteControl(inst, ps) {
    const id = "p-" + inst.name + "-" + ps[0].name;
    const label = ps.label || labelOf(ps[0]).replace(/\s*\([^)]*\)\s*$/, "");
    const unit = el("select", { id: id + "-unit", class: "select unit-select", dataset: { kind: "unit" } });
    for (const p of ps) unit.append(el("option", { value: p.name, text: p.unit }));
    const input = numberInput(id, ps[0].name, ps[0], id + "-hint");
    input.dataset.kind = "analyte";
    input.dataset.names = ps.map((p) => p.name).join(" ");
    const hint = () => (ps.find((p) => p.name === unit.value) || ps[0]);
    const hintP = el("p", { class: "hint", id: id + "-hint", text: "Allowed: " + hintOf(ps[0]) + "." });
    unit.addEventListener("change", () => { hintP.textContent = "Allowed: " + hintOf(hint()) + "."; });
    return el("div", { class: "field" },
      el("label", { for: id, class: "label", text: label }), hintP,
      el("div", { class: "with-unit" }, input,
        el("label", { for: unit.id, class: "visually-hidden", text: "Unit of " + label.toLowerCase() }), unit));
  }

  function values(box) {
    const out = {};
    for (const c of box.querySelectorAll("input, select")) {
      const kind = c.dataset.kind;
      if (kind === "unit") continue;
      if (kind === "check") { out[c.name] = c.checked; continue; }
      const raw = c.value.trim();
      if (kind === "analyte") {
        const unit = document.getElementById(c.id + "-unit");
        for (const n of c.dataset.names.split(" ")) out[n] = null;
        if (raw !== "") out[unit.value] = number(raw);
        continue;
      }
      if (raw === "") { out[c.name] = null; continue; }
      out[c.name] = kind === "json" ? JSON.parse(raw) : number(raw);
    }
    return out;
  }

  function number(raw) {
    const t = raw.replace(",", ".");
    return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : t;
  }

  function shown(v, kind) {
    if (v === null || v === undefined) return kind === "bool" ? "Not known yet" : DASH;
    if (v === true) return "Yes";
    if (v === false) return "No";
    if (typeof v === "string") return sentence(humanize(v));
    return String(v);
  }

  function outputLabel(inst, o) {
    if (o.label) return o.label;
    if (o.name === inst.name) return displayName(inst);
    if (o.name.endsWith("_points")) return "Points";
    if (o.name.endsWith("_classified")) return "Classified";
    if (o.name.endsWith("_entry_met")) return "Entry criterion met";
    if (o.name.endsWith("_category")) return "Disease activity";
    if (o.name.endsWith("_pass")) return "Acceptable symptom state";
    return sentence(humanize(o.name));
  }

  function decidedCategory(inst, result) {
    if (inst.kind === "classification") {
      const c = result[inst.name + "_classified"];
      return c === true ? "classified" : c === false ? "not classified" : null;
    }
    const col = inst.outputs.find((o) => o.name !== inst.name);
    if (!col) return null;
    const v = result[col.name];
    if (col.name.endsWith("_pass")) return v === true ? "acceptable symptom state" : v === false ? "unsatisfactory" : null;
    return v === null || v === undefined ? null : String(v);
  }

  function cutoffList(inst, decided) {
    if (!inst.categories || !inst.categories.length) return null;
    const list = el("ul", { class: "cutoffs", "aria-label": "Categories and their cut-offs" });
    for (const c of inst.categories) {
      const on = decided !== null && c.category === decided;
      list.append(el("li", { class: on ? "decided" : null, dataset: { category: c.category } },
        sentence(humanize(c.category)) + ": " + c.rule, on ? el("span", { class: "visually-hidden", text: " (this result)" }) : null));
    }
    return list;
  }

  // an error of the score endpoint in the words of the form: the parameter's label, not its key
  function errorText(inst, doc, status) {
    let text = String(doc.error || "error " + status);
    const p = inst.parameters.find((q) => q.name === doc.parameter);
    if (p) {
      text = text.replace(/^column '[^']*' \([^)]*\) = /i, labelOf(p) + " = ")
        .replace(new RegExp("^" + p.name + " = "), labelOf(p) + " = ");
    }
    return sentence(text);
  }

  function markInvalid(inst, section, parameter) {
    section.querySelectorAll(".field-has-error").forEach((f) => f.classList.remove("field-has-error"));
    section.querySelectorAll("[aria-invalid]").forEach((f) => f.removeAttribute("aria-invalid"));
    if (!parameter) return;
    let input = document.getElementById("p-" + inst.name + "-" + parameter);
    if (!input) input = section.querySelector("[data-names~='" + parameter + "']");
    if (!input) return;
    input.setAttribute("aria-invalid", "true");
    const wrap = input.closest(".field, .checkbox-field");
    if (wrap) wrap.classList.add("field-has-error");
  }

  // a calculator computed as it is filled in: after a pause in the typing, ask()
  // posts the values and show() renders the answer; an answer overtaken by a
  // later change is dropped. Returns the function that asks again.
  function live(box, out, delay, ask, show) {
    let timer = null;
    let serial = 0;
    const update = () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const mine = ++serial;
        const answer = await ask();
        if (mine !== serial) return;
        show(answer);
        out.dataset.serial = String(mine);
      }, delay);
    };
    box.addEventListener("input", update);
    box.addEventListener("change", update);
    box.addEventListener("submit", (e) => e.preventDefault());
    return update;
  }

  function render(inst, out, status, doc, touched) {
    out.replaceChildren();
    const section = out.closest(".calc");
    if (section) markInvalid(inst, section, status === 200 ? null : doc.parameter);
    if (status !== 200) {
      out.append(el("p", { class: "error", text: errorText(inst, doc, status) }));
      out.dataset.state = "error";
      return;
    }
    out.dataset.state = touched ? "ok" : "empty";
    const result = touched ? doc.result : {};
    const list = el("dl", { class: "results" });
    for (const o of inst.outputs) {
      let v = result[o.name];
      if (touched && o.name === inst.name && doc.reported && doc.reported[inst.name] !== undefined) v = doc.reported[inst.name];
      const text = touched ? shown(v, o.kind) : DASH;
      list.append(el("div", { class: "result-pair" },
        el("dt", { text: outputLabel(inst, o) }),
        el("dd", { class: "value out-" + o.name, dataset: { value: JSON.stringify(touched ? (v === undefined ? null : v) : null) }, text })));
    }
    out.append(list);
    const cut = cutoffList(inst, touched ? decidedCategory(inst, result) : null);
    if (cut) out.append(cut);
    if (!touched) out.append(el("p", { class: "hint", text: "Enter the values to see the result." }));
  }

  function calculator(inst) {
    const checks = allFlags(inst);
    const box = el("form", { class: "inputs", novalidate: true, "aria-label": displayName(inst) + " inputs" });
    const pair = unitChoice(inst);
    const flags = checks ? el("fieldset", { class: "checks" }, el("legend", { text: "Tick each item that is present (unticked: absent)" })) : null;
    if (flags) box.append(flags);
    for (const p of inst.parameters) {
      if (pair && pair[0].name === p.name) { box.append(analyteControl(inst, pair)); continue; }
      if (pair && pair.some((q) => q.name === p.name)) continue;
      (flags && p.domain.flag ? flags : box).append(control(inst, p, checks));
    }
    const out = el("div", { class: "output", id: "out-" + inst.name, "aria-live": "polite", dataset: { state: "empty" } });
    const section = el("section", { class: "calc", id: "calc-" + inst.name, "aria-labelledby": "h-" + inst.name },
      el("h2", { id: "h-" + inst.name, text: displayName(inst) }),
      el("p", { class: "summary", text: inst.summary }), box,
      el("h3", { class: "visually-hidden", text: "Result" }), out,
      inst.references.length ? el("p", { class: "refs", text: "Source: " + inst.references.join("; ") }) : null);
    let touched = false;
    live(box, out, 120, () => {
      const vals = values(box);
      const any = [...box.querySelectorAll("input, select")].some((c) => c.dataset.kind !== "unit" && (c.type === "checkbox" ? c.checked : c.value.trim() !== ""));
      touched = touched || any;
      return postJSON("/api/v1/score/" + encodeURIComponent(inst.name), vals);
    }, ({ status, doc }) => render(inst, out, status, doc, touched));
    render(inst, out, 200, { result: {} }, false);
    return section;
  }

  // ------------------------------------------------------------ BILAG-2004

  function resolveIn(schema, node) {
    let n = node || {};
    for (let g = 0; n.$ref && g < 20; g++) {
      let t = schema;
      for (const part of n.$ref.slice(2).split("/")) t = t && t[part];
      n = t || {};
    }
    return n;
  }

  const isType = (s, t) => (Array.isArray(s.type) ? s.type.includes(t) : s.type === t);

  function itemLabel(s, n) {
    return s.title || (n + ". " + (s.description || "").replace(/\s*\[[^\]]*\]\s*$/, ""));
  }

  function bilagItem(id, name, s, n, section, words) {
    const hintId = id + "-hint";
    let node;
    if (isType(s, "boolean")) {
      node = el("select", { id, name, class: "select", dataset: { kind: "json", section } },
        el("option", { value: "", text: "Not recorded" }),
        el("option", { value: "true", text: "Yes" }), el("option", { value: "false", text: "No" }));
    } else if (isType(s, "integer") && s.maximum !== undefined && s.maximum <= 4) {
      const w = words || {};
      node = el("select", { id, name, class: "select", dataset: { kind: "json", section } },
        el("option", { value: "", text: "Not recorded" }));
      for (let v = s.minimum || 0; v <= s.maximum; v++) node.append(el("option", { value: String(v), text: v + (w[v] ? " " + w[v] : "") }));
    } else {
      node = el("input", { id, name, type: "text", inputmode: "decimal", autocomplete: "off", class: "input input-number",
        dataset: { kind: "number", section }, "aria-describedby": s["x-hint"] ? hintId : null });
    }
    const unit = s["x-unit"] || (/\[([^\]]*)\]\s*$/.exec(s.description || "") || [])[1] || "";
    const numeric = node.tagName === "INPUT";
    return el("div", { class: "field" },
      el("label", { for: id, class: "label" }, itemLabel(s, n), numeric && unit ? el("span", { class: "unit", text: " (" + unit + ")" }) : null),
      numeric && s["x-hint"] ? el("p", { class: "hint", id: hintId, text: "Allowed: " + s["x-hint"] + "." }) : null,
      node);
  }

  function bilagCalculator(layout, schema, example) {
    const sle = resolveIn(schema, schema.properties.sle);
    const formS = resolveIn(schema, sle.properties.bilag2004_form);
    const grades = resolveIn(schema, sle.properties.bilag2004_grades);
    const part = (k) => resolveIn(schema, formS.properties[k]).properties || {};
    const items = part("items");
    const previous = part("previous");
    const due = part("due_to_sle");
    const active = part("previously_active");
    const box = el("form", { class: "inputs", novalidate: true, "aria-label": "BILAG-2004 form" });
    const prefix = "b-";
    for (const sys of layout.systems) {
      const gs = resolveIn(schema, grades.properties[sys.system]);
      const name = (active[sys.system] && active[sys.system].title) || gs.title || sentence(humanize(sys.system));
      const fs = el("fieldset", { class: "group system", id: "sys-" + sys.system }, el("legend", { text: name }));
      const grid = el("div", { class: "inputs" });
      for (const n of sys.items) {
        const s = resolveIn(schema, items[String(n)]);
        const words = (layout.scales || {})[String(n)];
        grid.append(bilagItem(prefix + "items-" + n, String(n), s, n, "items", words));
        if (layout.previous.includes(n) && previous[String(n)]) {
          const ps = { ...resolveIn(schema, previous[String(n)]) };
          ps.title = "Previous value: " + itemLabel(ps, n);
          grid.append(bilagItem(prefix + "previous-" + n, String(n), ps, n, "previous", words));
        }
        if (layout.due_to_sle.includes(n) && due[String(n)]) {
          const id = prefix + "due_to_sle-" + n;
          grid.append(el("div", { class: "field checkbox-field" }, el("span", { class: "checkbox" },
            el("input", { type: "checkbox", id, name: String(n), dataset: { kind: "check", section: "due_to_sle" } }),
            el("label", { for: id, text: "Item " + n + " is due to SLE activity" }))));
        }
      }
      const aid = prefix + "previously_active-" + sys.system;
      grid.append(el("div", { class: "field" },
        el("label", { for: aid, class: "label", text: "Involved by SLE before this assessment" }),
        el("p", { class: "hint", id: aid + "-hint", text: "Tells grade D (previously involved) from E (never involved)." }),
        el("select", { id: aid, name: sys.system, class: "select", "aria-describedby": aid + "-hint", dataset: { kind: "json", section: "previously_active" } },
          el("option", { value: "", text: "Not known" }), el("option", { value: "true", text: "Yes" }), el("option", { value: "false", text: "No" }))));
      const rid = prefix + "recorded-" + sys.system;
      const rec = el("select", { id: rid, name: sys.system, class: "select", "aria-describedby": rid + "-hint", dataset: { kind: "json", section: "recorded" } },
        el("option", { value: "", text: "None recorded" }));
      for (const g of ["A", "B", "C", "D", "E"]) rec.append(el("option", { value: JSON.stringify(g), text: g }));
      grid.append(el("div", { class: "field" },
        el("label", { for: rid, class: "label", text: "Grade recorded by the assessor" }),
        el("p", { class: "hint", id: rid + "-hint", text: "Optional. It decides a grade the items cannot (the haematological rules); it must agree with the items." }),
        rec));
      fs.append(grid);
      box.append(fs);
    }
    const out = el("div", { class: "output", id: "out-bilag2004", "aria-live": "polite", dataset: { state: "empty" } });
    const zero = el("button", { type: "button", class: "button-secondary", id: "bilag-zero", text: "Set every item not recorded to 0 (not present)" });
    const load = example ? el("button", { type: "button", class: "button-secondary", id: "bilag-example", text: "Fill in the form of example patient " + example.patient_id }) : null;
    const section = el("section", { class: "calc", id: "calc-bilag2004", "aria-labelledby": "h-bilag2004" },
      el("h2", { id: "h-bilag2004", text: "BILAG-2004" }),
      el("p", { class: "summary", text: "British Isles Lupus Assessment Group 2004 index: a grade A (most active) to E (never involved) for each of nine systems, from the items of the form (revision of 1 September 2009)." }),
      el("p", { class: "actions-row" }, zero, load), box,
      el("h3", { class: "visually-hidden", text: "Result" }), out,
      el("p", { class: "refs", text: "Source: Yee CS et al. Arthritis Rheum 2007;56(12):4113-4119, and the BILAG-2004 index glossary." }));

    const body = () => {
      const b = { items: {}, previous: {}, due_to_sle: {}, previously_active: {}, recorded: {} };
      for (const c of box.querySelectorAll("input, select")) {
        const sec = c.dataset.section;
        if (c.dataset.kind === "check") { if (c.checked) b[sec][c.name] = true; else if (sec === "due_to_sle") b[sec][c.name] = false; continue; }
        const raw = c.value.trim();
        if (raw === "") continue;
        b[sec][c.name] = c.dataset.kind === "json" ? JSON.parse(raw) : number(raw);
      }
      return b;
    };
    const update = live(box, out, 150, () => postJSON("/api/v1/bilag2004", body()),
      ({ status, doc }) => renderBilag(out, status, doc, layout, schema));
    zero.addEventListener("click", () => {
      box.querySelectorAll("select[data-section='items']").forEach((s) => {
        if (s.value === "" && [...s.options].some((o) => o.value === "0")) s.value = "0";
      });
      update();
    });
    if (load) load.addEventListener("click", async () => {
      const record = await getJSON("/api/v1/examples/" + encodeURIComponent(example.name));
      const form = record.sle.bilag2004_form;
      box.querySelectorAll("input, select").forEach((c) => { if (c.type === "checkbox") c.checked = false; else c.value = ""; });
      for (const sec of ["items", "previous", "due_to_sle", "previously_active"]) {
        for (const [k, v] of Object.entries(form[sec] || {})) {
          const c = document.getElementById(prefix + sec + "-" + k);
          if (!c || v === null) continue;
          if (c.type === "checkbox") c.checked = v === true;
          else c.value = c.dataset.kind === "json" ? JSON.stringify(v) : String(v);
        }
      }
      for (const [k, v] of Object.entries(record.sle.bilag2004_grades || {})) {
        const c = document.getElementById(prefix + "recorded-" + k);
        if (c && v) c.value = JSON.stringify(v);
      }
      update();
    });
    out.append(el("p", { class: "result-line", text: DASH }), el("p", { class: "hint", text: "Record the items to see each system's grade." }));
    return section;
  }

  function renderBilag(out, status, doc, layout, schema) {
    out.replaceChildren();
    if (status !== 200) {
      out.dataset.state = "error";
      out.append(el("p", { class: "error", text: sentence(doc.error || "error " + status) }));
      if (Array.isArray(doc.problems) && doc.problems.length) {
        const list = el("ul", { class: "error" });
        const where = (path) => {
          const [sec, key] = String(path || "").split(".");
          if (sec === "items") return "Item " + key + ": ";
          if (sec === "previous") return "Previous value of item " + key + ": ";
          if (sec === "due_to_sle") return "Item " + key + " due to SLE: ";
          return "";
        };
        for (const p of doc.problems) list.append(el("li", { text: where(p.path) + sentence(p.message) }));
        out.append(list);
      }
      return;
    }
    out.dataset.state = "ok";
    const sle = resolveIn(schema, schema.properties.sle);
    const active = resolveIn(schema, resolveIn(schema, sle.properties.bilag2004_form).properties.previously_active).properties || {};
    const SOURCE = { items: "The items", history: "The history", recorded: "The recorded grade", unknown: "Not decided" };
    const table = el("table", { class: "grades" },
      el("caption", { class: "visually-hidden", text: "BILAG-2004 grade of each system" }),
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "System" }), el("th", { scope: "col", text: "Grade" }),
        el("th", { scope: "col", text: "Decided by" }), el("th", { scope: "col", text: "Why" }))));
    const tbody = el("tbody");
    for (const s of doc.systems) {
      const name = (active[s.system] && active[s.system].title) || sentence(humanize(s.system));
      const reasons = el("ul", { class: "values" });
      for (const r of s.reasons) {
        const text = clinicalText(r.replace(/\bdue_to_sle\b/g, "due-to-SLE"), schema["x-unit-words"]);
        reasons.append(el("li", { text: sentence(text) }));
      }
      tbody.append(el("tr", { id: "grade-" + s.system, dataset: { grade: s.grade === null ? "" : s.grade } },
        el("th", { scope: "row", text: name }),
        el("td", { class: "grade", text: s.grade === null ? "?" : s.grade }),
        el("td", { text: SOURCE[s.source] || s.source }),
        el("td", {}, reasons)));
    }
    table.append(tbody);
    const numeric = doc.numeric === null ? DASH : String(doc.numeric);
    const ab = doc.one_a_or_two_b === null ? "Not known yet" : doc.one_a_or_two_b ? "Yes" : "No";
    out.append(
      el("dl", { class: "results" },
        el("div", { class: "result-pair" }, el("dt", { text: "BILAG-2004 numeric score (A 12, B 8, C 1, D and E 0)" }), el("dd", { class: "value out-bilag2004_numeric", text: numeric })),
        el("div", { class: "result-pair" }, el("dt", { text: "At least one A or two B" }), el("dd", { class: "value out-bilag2004_1a_or_2b", text: ab }))),
      table);
  }

  // ----------------------------------------------------------------- page

  Promise.all([
    getJSON("/api/v1/instruments"),
    getJSON("/api/v1/bilag2004"),
    getJSON("/api/v1/schema/patient"),
    getJSON("/api/v1/examples").catch(() => []),
  ]).then(([list, layout, schema, examples]) => {
    const nav = el("nav", { class: "toc", "aria-label": "Calculators on this page" });
    const sections = list.map(calculator);
    const example = examples.find((e) => e.name === "sle_eligible") || null;
    const bilag = bilagCalculator(layout, schema, example);
    // BILAG-2004 beside SLEDAI-2K
    const at = list.findIndex((i) => i.name === "sledai2k");
    sections.splice(at >= 0 ? at + 1 : sections.length, 0, bilag);
    for (const s of sections) {
      nav.append(el("a", { href: "#" + s.id, text: s.querySelector("h2").textContent }));
    }
    root.append(nav, ...sections);
    document.body.dataset.ready = "1";
  }).catch((err) => root.append(el("p", { class: "error", text: "The calculators could not be loaded: " + err })));
})();
