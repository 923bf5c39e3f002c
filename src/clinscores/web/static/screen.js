// The screening page. The form is built at run time from the patient
// record's JSON Schema (GET /api/v1/schema/patient), whose words it shows:
// "title" (the label), "description" (the help), "x-unit", "x-hint" (the
// allowed values), "x-choice-labels" (the words of each choice) and, for a
// laboratory value given in either of two units, "x-analyte" with the
// laboratory object's "x-units" (one input and a unit choice). The disease
// is chosen first; the form then shows the fields of that disease only.
// A record is screened by POST /api/v1/screen; the verdict comes first, with
// the criteria against the patient or the missing data, each a link to its
// input. No field name is written here: everything comes from the schema.
"use strict";
(function () {
  const { el, postJSON, getJSON, humanize, sentence, clinicalText } = window.clinscores;
  const form = document.getElementById("form");
  const groupsBox = document.getElementById("groups");
  let schema = null;
  let diseases = [];
  const pathNames = [];       // every JSON path of the schema with a label, longest first
  const labels = {};          // JSON path -> label
  const alias = {};           // JSON path of another unit -> the id of the analyte's input
  let pathPattern = null;
  let bilag = null;           // GET /api/v1/bilag2004: the systems of the form, the words of each code

  const fieldId = (path) => "f-" + path;

  // ---------------------------------------------------------- vocabulary

  function resolve(s) {
    let node = s || {};
    for (let guard = 0; node.$ref && guard < 20; guard++) {
      if (!node.$ref.startsWith("#/")) break;
      let target = schema;
      for (const part of node.$ref.slice(2).split("/")) target = target && target[part.replace(/~1/g, "/").replace(/~0/g, "~")];
      node = target || {};
    }
    return node;
  }

  // the label of a field: its title; else its description without the unit in brackets
  function labelOf(s, key) {
    if (s.title) return s.title;
    if (s.description) return sentence(s.description.replace(/\s*\[[^\]]*\]\s*$/, ""));
    return sentence(humanize(key));
  }
  function unitOf(s) {
    if (s["x-unit"] !== undefined) return s["x-unit"];
    const m = /\[([^\]]*)\]\s*$/.exec(s.description || "");
    return m ? m[1] : "";
  }
  function helpOf(s) {
    if (!s.title) return "";  // the description is the label
    return s.description && s.description !== s.title ? s.description : "";
  }
  function choiceLabel(s, value) {
    const words = s["x-choice-labels"] || {};
    if (words[value] !== undefined) return words[value];
    return sentence(humanize(String(value)));
  }

  const typeOf = (s) => (Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type);
  const isObject = (s) => s && typeOf(s) === "object" && s.properties;
  const isBoolean = (s) => typeOf(s) === "boolean";
  const branches = (s) => (s.oneOf || s.anyOf || []).map(resolve);
  const isNumber = (s) => typeOf(s) === "number" || typeOf(s) === "integer";
  const censored = (s) => branches(s).some((b) => b.properties && b.properties.comparator);

  function leafCount(s) {
    s = resolve(s);
    if (isObject(s)) return Object.values(s.properties).reduce((n, sub) => n + leafCount(sub), 0);
    return 1;
  }

  const leafLabels = {};      // a leaf name with an underscore -> its label, when only one
  function indexPaths(s, path) {
    s = resolve(s);
    if (path) {
      const leaf = path.split(".").pop();
      labels[path] = labelOf(s, leaf);
      pathNames.push(path);
      if (leaf.includes("_") && !leaf.includes("[")) {
        const l = labels[path];
        leafLabels[leaf] = leafLabels[leaf] === undefined || leafLabels[leaf] === l ? l : null;
      }
    }
    if (isObject(s)) for (const [k, sub] of Object.entries(s.properties)) indexPaths(sub, path ? path + "." + k : k);
    if (typeOf(s) === "array" && isObject(resolve(s.items))) indexPaths(s.items, path + "[]");
  }

  // a JSON path as words: "medications.csdmards[0].drug" -> its label
  function pathLabel(path) {
    if (labels[path]) return labels[path];
    const generic = path.replace(/\[\d+\]/g, "[]");
    if (labels[generic]) {
      const n = /\[(\d+)\]/.exec(path);
      const owner = labels[generic.slice(0, generic.indexOf("[]") + 2)] || "";
      return labels[generic] + (n ? " (" + owner.toLowerCase() + ", entry " + (Number(n[1]) + 1) + ")" : "");
    }
    const cut = path.lastIndexOf(".");
    return cut > 0 ? pathLabel(path.slice(0, cut)) : sentence(humanize(path));
  }

  // record keys inside a text (a reason, a message) replaced by their labels
  function words(text) {
    if (!text) return text;
    let out = clinicalText(text, schema && schema["x-unit-words"]);
    if (pathPattern) out = out.replace(pathPattern, (m) => labels[m] || m);
    // a bare item name of the record ("low_complement" in a reason): its label
    const lower = (l) => (/^[A-Z][a-z]/.test(l) ? l.charAt(0).toLowerCase() + l.slice(1) : l);
    out = out.replace(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g, (m) => (leafLabels[m] ? lower(leafLabels[m]) : m));
    const disease = resolve((schema && schema.properties.disease) || {});
    return out.replace(/\bscreened for (\w+)$/, (m, d) => "screened for " + (diseases.includes(d) ? choiceLabel(disease, d) : d));
  }

  // ---------------------------------------------------------------- build

  function smallRange(s) {
    return typeOf(s) === "integer" && s.maximum !== undefined && s.maximum - (s.minimum || 0) <= 20;
  }

  function options(s) {
    const out = [[null, "Not known"]];
    const add = (node) => {
      if (isBoolean(node)) out.push([true, "Yes"], [false, "No"]);
      if (Array.isArray(node.enum)) for (const v of node.enum) if (v !== null) out.push([v, choiceLabel(s, v)]);
      if (smallRange(node)) for (let v = node.minimum || 0; v <= node.maximum; v++) out.push([v, choiceLabel(node, v)]);
    };
    if (branches(s).length) branches(s).forEach(add);
    else add(s);
    return out;
  }

  function usesSelect(s) {
    if (isBoolean(s) || Array.isArray(s.enum)) return true;
    if (smallRange(s)) return true;
    const alts = branches(s);
    return alts.length > 0 && alts.every((b) =>
      isBoolean(b) || Array.isArray(b.enum) || smallRange(b) || typeOf(b) === "null");
  }

  const CENSORED = "A result reported beyond a limit: write it with its sign, as < 0.5 or > 2000.";

  function hintText(s) {
    const parts = [];
    const help = helpOf(s);
    if (help) parts.push(/[.!?]$/.test(help) ? help : help + ".");
    if (s["x-hint"] && !usesSelect(s)) parts.push("Allowed: " + s["x-hint"] + ".");  // a choice says it
    if (censored(s) && !s.__censoredNoted) parts.push(CENSORED);
    return parts.join(" ");
  }

  // the words of a BILAG-2004 item's codes ("0 not present" ... "4 new")
  function codeWords(path) {
    const m = /bilag2004_form\.(?:items|previous)\.(\d+)$/.exec(path);
    return m && bilag && bilag.scales ? bilag.scales[m[1]] || null : null;
  }

  function control(path, s, described) {
    const id = fieldId(path);
    const numeric = isNumber(s) ? s : branches(s).find(isNumber);
    const common = { id, name: path, "aria-describedby": described || null };
    if (usesSelect(s)) {
      const select = el("select", { ...common, class: "select", dataset: { kind: "json" } });
      const codes = codeWords(path);
      for (const [value, text] of options(s)) {
        const shown = codes && codes[value] !== undefined ? value + " " + codes[value] : text;
        select.append(el("option", { value: value === null ? "" : JSON.stringify(value), text: shown }));
      }
      return select;
    }
    if (numeric) {
      return el("input", {
        ...common, type: "text", inputmode: "decimal", autocomplete: "off", spellcheck: "false",
        class: "input input-number", dataset: { kind: censored(s) ? "censored" : "number" },
      });
    }
    if (typeOf(s) === "array") {
      const item = resolve(s.items);
      return el("input", {
        ...common, type: "text", autocomplete: "off", class: "input",
        dataset: { kind: "list", item: isNumber(item) ? "number" : "text" },
      });
    }
    if (typeOf(s) === "object") {
      return el("textarea", { ...common, rows: "2", class: "input", dataset: { kind: "jsontext" } });
    }
    if (s.format === "date") return el("input", { ...common, type: "date", class: "input input-date", dataset: { kind: "text" } });
    return el("input", { ...common, type: "text", autocomplete: "off", class: "input", dataset: { kind: "text" } });
  }

  function listHint(s) {
    const item = resolve(s.items);
    const what = item.format === "date" ? "Dates (YYYY-MM-DD)" : "Values";
    return what + " separated by commas; write “none” when there were none, and leave empty when not known.";
  }

  function field(key, path, raw, required, inFold) {
    const s = resolve(raw);
    if (isObject(s)) return group(key, path, s, undefined, inFold);
    if (typeOf(s) === "array" && isObject(resolve(s.items))) return repeated(key, path, s);
    const id = fieldId(path);
    // a BILAG-2004 item within its system: its codes in words say it all
    let hint = codeWords(path) ? "" : hintText(s);
    if (typeOf(s) === "array") hint = (hint ? hint + " " : "") + listHint(s);
    const hintId = hint ? id + "-hint" : null;
    const errorId = id + "-error";
    const unit = unitOf(s);
    const input = control(path, s, [hintId, errorId].join(" ").trim());
    return el("div", { class: "field", id: "w-" + path, dataset: { path } },
      el("label", { for: id, class: "label" }, labelOf(s, key),
        unit && !usesSelect(s) ? el("span", { class: "unit", text: " (" + unit + ")" }) : null,
        required ? el("span", { class: "required", text: " (required)" }) : null),
      hint ? el("p", { class: "hint", id: hintId, text: hint }) : null,
      el("p", { class: "field-error", id: errorId, hidden: true }),
      input);
  }

  // one laboratory value measured in either of two units: one input, one unit choice
  function analyteField(key, analyte, labsPath, labsSchema) {
    const first = labsPath + "." + analyte.fields[0];
    const s = resolve(labsSchema.properties[analyte.fields[0]]);
    const id = fieldId(first);
    const hint = hintText(s);
    const hintId = hint ? id + "-hint" : null;
    const errorId = id + "-error";
    const input = control(first, s, [hintId, errorId].join(" ").trim());
    input.dataset.analyte = key;
    const unit = el("select", { id: id + "-unit", class: "select unit-select", dataset: { analyte: key } });
    analyte.fields.forEach((f, i) => {
      unit.append(el("option", { value: f, text: analyte.units[i] }));
      alias[labsPath + "." + f] = id;
    });
    return el("div", { class: "field", id: "w-" + first, dataset: { path: first, analyte: key } },
      el("label", { for: id, class: "label", text: analyte.label || labelOf(s, key) }),
      hint ? el("p", { class: "hint", id: hintId, text: hint }) : null,
      el("p", { class: "field-error", id: errorId, hidden: true }),
      el("div", { class: "with-unit" }, input,
        el("label", { for: unit.id, class: "visually-hidden", text: "Unit of " + (analyte.label || labelOf(s, key)).toLowerCase() }),
        unit));
  }

  function group(key, path, s, legendText, inFold) {
    const legend = legendText || labelOf(s, key);
    // a long form (BILAG-2004) is folded until opened; its own groups are not folded again
    const fold = !inFold && leafCount(s) > 40 && path.includes(".");
    const box = el("fieldset", { id: fieldId(path), tabindex: "-1", class: "group", dataset: { path } },
      el("legend", { text: legend }));
    const help = legendText ? "" : helpOf(s);
    if (help) box.append(el("p", { class: "hint", text: help }));
    const required = new Set(s.required || []);
    const units = s["x-units"] || {};
    // several laboratory values that may be reported beyond a limit: the rule said once
    const limited = Object.values(s.properties).map(resolve).filter(censored);
    if (limited.length > 1) {
      box.append(el("p", { class: "hint group-note", text: CENSORED }));
      limited.forEach((node) => { node.__censoredNoted = true; });
    }
    const done = new Set();
    const bySystem = bilag && /\.bilag2004_form\.items$/.test(path) ? bilag.systems : null;
    if (bySystem) {
      // the items of the BILAG-2004 form, system by system as on the paper form
      const owner = path.slice(0, -".items".length);
      for (const sys of bySystem) {
        const name = labels[owner + ".previously_active." + sys.system] || sentence(humanize(sys.system));
        const part = el("fieldset", { class: "group", id: "g-" + path + "-" + sys.system }, el("legend", { text: name }));
        for (const n of sys.items) {
          const k = String(n);
          if (!s.properties[k]) continue;
          done.add(k);
          part.append(field(k, path + "." + k, s.properties[k], required.has(k), true));
        }
        box.append(part);
      }
    }
    for (const [k, sub] of Object.entries(s.properties)) {
      if (done.has(k)) continue;
      const node = resolve(sub);
      const a = node["x-analyte"] && units[node["x-analyte"]];
      if (a && a.fields.includes(k)) {
        a.fields.forEach((f) => done.add(f));
        box.append(analyteField(node["x-analyte"], a, path, s));
        continue;
      }
      box.append(field(k, path ? path + "." + k : k, sub, required.has(k), inFold || fold));
    }
    if (fold) {
      const details = el("details", { class: "fold", id: "d-" + path }, el("summary", { text: legend }));
      box.firstChild.classList.add("visually-hidden");
      details.append(box);
      return details;
    }
    return box;
  }

  function repeated(key, path, s) {
    const label = labelOf(s, key);
    const items = el("div", { class: "items" });
    const box = el("fieldset", { id: fieldId(path), tabindex: "-1", class: "group repeated", dataset: { path, next: "0" } },
      el("legend", { text: label }));
    const help = helpOf(s);
    if (help) box.append(el("p", { class: "hint", text: help }));
    box.append(items);
    const add = el("button", { type: "button", id: fieldId(path) + "-add", class: "button-secondary add", text: "Add an entry (" + label + ")" });
    add.addEventListener("click", () => {
      const item = addItem(box, resolve(s.items));
      const first = item.querySelector("input, select, textarea");
      if (first) first.focus();
    });
    const none = el("input", { type: "checkbox", id: fieldId(path) + "-none", class: "none" });
    box.append(el("div", { class: "actions-row" }, add,
      el("span", { class: "checkbox" }, none, el("label", { for: none.id, text: "None (known to be none, not unknown)" }))));
    return box;
  }

  function addItem(box, itemSchema) {
    const n = Number(box.dataset.next);
    box.dataset.next = String(n + 1);
    const path = box.dataset.path + "[" + n + "]";
    const title = box.querySelector(":scope > legend").textContent;
    const item = group("", path, itemSchema, title + ": entry " + (n + 1));
    item.classList.add("item");
    const remove = el("button", { type: "button", class: "button-secondary remove", text: "Remove entry " + (n + 1) });
    remove.addEventListener("click", () => item.remove());
    item.append(remove);
    box.querySelector(":scope > .items").append(item);
    return item;
  }

  const GROUPS = [
    ["patient", "Patient"],
    ["labs", "Blood counts and chemistry"],
    ["medications", "Medications"],
    ["disease", "Disease activity and classification"],
    ["exclusions", "Exclusions"],
  ];

  function build(root) {
    schema = root;
    indexPaths(root, "");
    pathNames.sort((a, b) => b.length - a.length);
    const escaped = pathNames.filter((p) => !p.includes("[]") && /[._]/.test(p))
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    pathPattern = escaped.length ? new RegExp("(?<![\\w.])(?:" + escaped.join("|") + ")(?![\\w])", "g") : null;

    const disease = resolve(root.properties.disease || {});
    diseases = Array.isArray(disease.enum) ? disease.enum.filter((d) => d !== null) : [];
    const required = new Set(root.required || []);

    // the disease first: radios, outside the groups
    const choice = el("fieldset", { id: fieldId("disease"), class: "group disease-choice", tabindex: "-1", dataset: { path: "disease" } },
      el("legend", { class: "legend-large", text: "1. " + labelOf(disease, "disease") }));
    const helpD = helpOf(disease);
    if (helpD) choice.append(el("p", { class: "hint", text: helpD }));
    const radios = el("div", { class: "radios" });
    for (const d of diseases) {
      const rid = fieldId("disease") + "-" + d;
      const radio = el("input", { type: "radio", name: "disease", id: rid, value: d });
      radio.addEventListener("change", showDisease);
      radios.append(el("div", { class: "radio" }, radio, el("label", { for: rid, text: choiceLabel(disease, d) })));
    }
    choice.append(radios);
    document.getElementById("disease-choice").append(choice);

    const boxes = {};
    for (const [key, legend] of GROUPS) {
      boxes[key] = el("fieldset", { class: "group top", id: "g-" + key }, el("legend", { class: "legend-large", text: legend }));
    }
    for (const [key, raw] of Object.entries(root.properties)) {
      if (key === "disease") continue;
      const s = resolve(raw);
      if (diseases.includes(key)) {
        const node = group(key, key, s, labelOf(s, key));
        node.classList.add("disease");
        node.hidden = true;
        boxes.disease.append(node);
      } else if (isObject(s) && boxes[key]) {
        // a top-level object: its fields in its group
        const inner = group(key, key, s, boxes[key].querySelector("legend").textContent);
        inner.classList.add("bare");
        boxes[key].append(inner);
      } else if (isObject(s)) {
        boxes[key] = group(key, key, s);
        boxes[key].classList.add("top");
      } else {
        boxes.patient.append(field(key, key, raw, required.has(key)));
      }
    }
    for (const box of Object.values(boxes)) groupsBox.append(box);
    groupsBox.prepend(el("p", { class: "hint form-lede", text: "2. The patient's data. Leave a field empty when it is not known: a criterion that needs it stays undecided, never met by default." }));
  }

  function chosenDisease() {
    const radio = document.querySelector("input[name='disease']:checked");
    return radio ? radio.value : null;
  }

  function showDisease() {
    const chosen = chosenDisease();
    form.hidden = !chosen;
    for (const d of diseases) {
      const box = document.getElementById(fieldId(d));
      if (box) box.hidden = d !== chosen;
    }
    document.body.dataset.disease = chosen || "";
  }

  // -------------------------------------------------------------- collect

  function number(raw) {
    return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw) ? Number(raw) : raw;
  }

  function valueOf(control) {
    const raw = control.value.trim();
    if (raw === "") return undefined;
    switch (control.dataset.kind) {
      case "json": return JSON.parse(raw);
      case "number": return number(raw.replace(",", "."));
      case "censored": {
        const m = /^(<=|>=|<|>|≤|≥)\s*(.+)$/.exec(raw);
        if (!m) return number(raw.replace(",", "."));
        const op = { "≤": "<=", "≥": ">=" }[m[1]] || m[1];
        return { comparator: op, value: number(m[2].replace(",", ".")) };
      }
      case "list": {
        if (raw.toLowerCase() === "none") return [];
        const parts = raw.split(",").map((x) => x.trim()).filter((x) => x !== "");
        return control.dataset.item === "number" ? parts.map(number) : parts;
      }
      case "jsontext":
        try { return JSON.parse(raw); } catch (err) { return raw; }  // the server says what is wrong
      default: return raw;
    }
  }

  function collect(path, raw) {
    const s = resolve(raw);
    if (isObject(s)) {
      const out = {};
      for (const [k, sub] of Object.entries(s.properties)) {
        const p = path ? path + "." + k : k;
        if (path === "" && k === "disease") {
          if (chosenDisease()) out.disease = chosenDisease();
          continue;
        }
        if (path === "" && diseases.includes(k) && k !== chosenDisease()) continue;
        if (alias[p] && alias[p] !== fieldId(p)) continue;  // the analyte's other unit
        const node = resolve(sub);
        if (node["x-analyte"] && alias[p] === fieldId(p)) {
          const input = document.getElementById(fieldId(p));
          const unit = document.getElementById(fieldId(p) + "-unit");
          const v = input ? valueOf(input) : undefined;
          if (v !== undefined) out[unit ? unit.value : k] = v;
          continue;
        }
        const v = collect(p, sub);
        if (v !== undefined) out[k] = v;
      }
      return Object.keys(out).length || path === "" ? out : undefined;
    }
    if (typeOf(s) === "array" && isObject(resolve(s.items))) {
      const box = document.getElementById(fieldId(path));
      const items = box ? [...box.querySelectorAll(":scope > .items > fieldset.item")] : [];
      const out = items.map((item) => collect(item.dataset.path, s.items) || {});
      const none = document.getElementById(fieldId(path) + "-none");
      return out.length ? out : none && none.checked ? [] : undefined;
    }
    const control = document.getElementById(fieldId(path));
    return control ? valueOf(control) : undefined;
  }

  // ----------------------------------------------------------------- fill

  function shownValue(control, value) {
    if (control.dataset.kind === "json" || control.dataset.kind === "jsontext") return JSON.stringify(value);
    if (control.dataset.kind === "list") return Array.isArray(value) ? (value.length ? value.join(", ") : "none") : String(value);
    if (control.dataset.kind === "censored" && value && typeof value === "object") return value.comparator + " " + value.value;
    return String(value);
  }

  function fill(path, raw, value) {
    const s = resolve(raw);
    if (isObject(s)) {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return;
      for (const [k, sub] of Object.entries(s.properties)) {
        const p = path ? path + "." + k : k;
        if (alias[p] && value[k] !== undefined && value[k] !== null) {
          const input = document.getElementById(alias[p]);
          const unit = document.getElementById(alias[p] + "-unit");
          if (unit) unit.value = k;
          input.value = shownValue(input, value[k]);
          continue;
        }
        if (alias[p]) continue;
        fill(p, sub, value[k]);
      }
      return;
    }
    if (typeOf(s) === "array" && isObject(resolve(s.items))) {
      const box = document.getElementById(fieldId(path));
      if (!box) return;
      box.querySelector(":scope > .items").replaceChildren();
      box.dataset.next = "0";
      const none = document.getElementById(fieldId(path) + "-none");
      if (none) none.checked = Array.isArray(value) && value.length === 0;
      if (Array.isArray(value)) {
        for (const v of value) fill(addItem(box, resolve(s.items)).dataset.path, s.items, v);
      }
      return;
    }
    const control = document.getElementById(fieldId(path));
    if (!control || value === undefined || value === null) return;
    control.value = shownValue(control, value);
  }

  function clearForm() {
    form.querySelectorAll("input, select, textarea").forEach((c) => {
      if (c.type === "checkbox" || c.type === "radio") c.checked = false;
      else if (c.classList.contains("unit-select")) c.selectedIndex = 0;
      else c.value = "";
    });
    form.querySelectorAll(".repeated > .items").forEach((box) => box.replaceChildren());
    clearErrors();
  }

  function fillForm(record) {
    clearForm();
    document.querySelectorAll("input[name='disease']").forEach((r) => { r.checked = r.value === record.disease; });
    fill("", schema, record);
    showDisease();
  }

  // --------------------------------------------------------------- result

  function target(path) {
    // the input (or group) of a JSON path, or of its nearest ancestor
    let p = path;
    while (p) {
      const node = document.getElementById(alias[p] || fieldId(p));
      if (node) return node;
      const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
      p = cut > 0 ? p.slice(0, cut) : "";
    }
    return null;
  }

  function reveal(node) {
    const section = node.closest("fieldset.disease");
    if (section) section.hidden = false;
    form.hidden = false;
    for (let d = node.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
  }

  function moveTo(node) {
    reveal(node);
    node.scrollIntoView({ block: "center" });
    const focusable = node.matches("input, select, textarea")
      ? node
      : node.querySelector("input:not([type='hidden']), select, textarea, button");
    const to = focusable || node;
    reveal(to);
    to.focus();
    // a group just unfolded is laid out at the next frame: focus again then
    if (document.activeElement !== to) requestAnimationFrame(() => to.focus());
  }

  function pathLink(path, text, extra) {
    const node = target(path);
    if (!node) return el("span", { text: text || pathLabel(path) });
    const link = el("a", { href: "#" + node.id, class: "path", dataset: { path, ...(extra || {}) }, text: text || pathLabel(path) });
    link.addEventListener("click", (event) => {
      event.preventDefault();
      moveTo(document.getElementById(node.id) || node);
    });
    return link;
  }

  // good or bad for the patient, whatever the criterion's kind
  function favourable(c) {
    if (c.status === "unknown") return "unknown";
    if (c.status === "not_applicable") return "na";
    return (c.kind === "inclusion") === (c.status === "met") ? "ok" : "fail";
  }
  const SYMBOL = { ok: "✓", fail: "✗", unknown: "?", na: "–" };
  function statusWords(c) {
    const inc = c.kind === "inclusion";
    switch (c.status) {
      case "met": return inc ? "Met" : "Applies: excludes the patient";
      case "not_met": return inc ? "Not met" : "Does not apply";
      case "unknown": return "Not known yet";
      default: return "Not applicable";
    }
  }
  const VERDICT = {
    eligible: ["✓", "Eligible"],
    not_eligible: ["✗", "Not eligible"],
    incomplete: ["?", "Incomplete: more data are needed"],
  };

  // the label of an item *key* of an object found at *path*: its own path, else the
  // nearest path of the same disease that ends with the key (a system of BILAG-2004)
  function itemLabel(path, key) {
    if (labels[path + "." + key]) return labels[path + "." + key];
    const top = path.split(".")[0] + ".";
    const near = pathNames.filter((p) => p.startsWith(top) && p.endsWith("." + key)).sort((a, b) => a.length - b.length)[0];
    return near ? labels[near] : sentence(humanize(key));
  }

  function displayValue(v, path) {
    if (v === true) return "yes";
    if (v === false) return "no";
    if (v === null || v === undefined) return "not known";
    if (Array.isArray(v)) return v.length ? v.map((x) => displayValue(x, path)).join(", ") : "none";
    if (typeof v === "object" && v.comparator) return v.comparator + " " + v.value;
    if (typeof v === "object") return Object.entries(v).map(([k, x]) => itemLabel(path || "", k) + " " + displayValue(x, path)).join(", ");
    return String(v);
  }

  // the first input among a criterion's values: where a clinician would correct it
  function firstInput(c) {
    const paths = [...(c.missing || []).flatMap((m) => m.split(" or ")), ...Object.keys(c.values || {})];
    for (const p of paths) {
      const node = document.getElementById(alias[p] || fieldId(p));
      if (node && node.matches("input, select, textarea")) return p;
    }
    for (const p of paths) if (target(p)) return p;
    return null;
  }

  function title(c) { return sentence(words(c.title)); }

  // a long reason ("a; b; c") as a list, one part a line; a short one as text
  function reasonNode(c) {
    const text = words(c.reason.startsWith(c.title) ? c.reason.slice(c.title.length).replace(/^[:\s]+/, "") : c.reason);
    const parts = splitParts(text);
    if (parts.length < 3) return el("span", { class: "reason", text: sentence(text) });
    return el("ul", { class: "reason reason-parts" }, ...parts.map((t) => el("li", { text: sentence(t) })));
  }

  // split at the "; " that are not inside brackets
  function splitParts(text) {
    const out = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === "(" || ch === "[") depth++;
      else if ((ch === ")" || ch === "]") && depth > 0) depth--;
      else if (ch === ";" && depth === 0 && text[i + 1] === " ") {
        out.push(text.slice(start, i).trim());
        start = i + 2;
      }
    }
    out.push(text.slice(start).trim());
    return out.filter(Boolean);
  }

  function criterionRow(c) {
    const fav = favourable(c);
    const values = Object.entries(c.values || {}).filter(([k]) => labels[k] || alias[k]);
    const detail = el("td", {},
      el("strong", { class: "rule", text: title(c) }), " ",
      reasonNode(c));
    if (values.length) {
      const list = el("ul", { class: "values" });
      for (const [k, v] of values) list.append(el("li", {}, pathLink(k), ": " + displayValue(v, k) + (unitOf(resolve(schemaAt(k))) ? " " + unitOf(resolve(schemaAt(k))) : "")));
      detail.append(list);
    }
    return el("tr", { id: "c-" + c.id, class: "row-" + fav, dataset: { status: c.status, favour: fav }, tabindex: "-1" },
      el("th", { scope: "row" }, el("span", { class: "cid", text: c.id }), el("span", { class: "kind", text: c.kind === "inclusion" ? "Inclusion" : "Exclusion" })),
      el("td", { class: "status status-" + fav },
        el("span", { class: "sym sym-" + fav, "aria-hidden": "true", text: SYMBOL[fav] }), " ",
        el("span", { class: "status-text", text: statusWords(c) })),
      detail);
  }

  function schemaAt(path) {
    let node = schema;
    for (const part of path.replace(/\[\d+\]/g, "").split(".")) {
      node = resolve(node);
      if (typeOf(node) === "array") node = resolve(node.items);
      node = node && node.properties ? node.properties[part] : undefined;
      if (!node) return {};
    }
    return node;
  }

  function clearErrors() {
    document.getElementById("error-summary").hidden = true;
    document.getElementById("error-list").replaceChildren();
    document.querySelectorAll(".field-error").forEach((p) => { p.hidden = true; p.textContent = ""; });
    document.querySelectorAll(".field-has-error").forEach((f) => f.classList.remove("field-has-error"));
    document.querySelectorAll("[aria-invalid]").forEach((f) => f.removeAttribute("aria-invalid"));
  }

  function showProblems(status, doc) {
    const summary = document.getElementById("error-summary");
    const list = document.getElementById("error-list");
    document.getElementById("result").hidden = true;
    const problems = Array.isArray(doc.problems) && doc.problems.length ? doc.problems : [{ path: null, message: doc.error || "error " + status }];
    document.getElementById("error-summary-title").textContent =
      status === 422 ? "The record was not screened: " + problems.length + (problems.length === 1 ? " problem" : " problems") : "The record was not screened";
    for (const p of problems) {
      const message = words(p.message);
      if (p.path) {
        const node = target(p.path);
        const label = pathLabel(p.path);
        list.append(el("li", { dataset: { path: p.path } }, pathLink(p.path, label + ": " + message)));
        if (node) {
          const wrap = node.closest(".field");
          const err = wrap && wrap.querySelector(".field-error");
          if (err) {
            err.hidden = false;
            err.textContent = (err.textContent ? err.textContent + " " : "") + sentence(message);
            wrap.classList.add("field-has-error");
            const input = wrap.querySelector("input, select, textarea");
            if (input) input.setAttribute("aria-invalid", "true");
          }
        }
      } else {
        list.append(el("li", { text: sentence(message) }));
      }
    }
    summary.hidden = false;
    summary.dataset.status = "invalid";
    summary.focus();
  }

  function show(status, doc) {
    clearErrors();
    const result = document.getElementById("result");
    const verdict = document.getElementById("verdict");
    if (status !== 200) {
      verdict.dataset.status = "invalid";
      showProblems(status, doc);
      return;
    }
    const reasons = document.getElementById("reasons");
    const tbody = document.querySelector("#criteria tbody");
    reasons.replaceChildren();
    tbody.replaceChildren();
    const [sym, word] = VERDICT[doc.status] || ["?", doc.status];
    verdict.className = "verdict verdict-" + doc.status;
    verdict.dataset.status = doc.status;
    verdict.replaceChildren(el("span", { class: "sym", "aria-hidden": "true", text: sym }), " " + word);
    const disease = resolve(schema.properties.disease || {});
    const meta = [
      "Patient " + doc.patient_id,
      doc.disease ? choiceLabel(disease, doc.disease) : null,
      doc.screening_date ? "Screening date " + doc.screening_date : "Screening date not recorded",
      "clinscores " + doc.clinscores_version,
    ].filter(Boolean);
    document.getElementById("verdict-meta").replaceChildren(...meta.flatMap((m, i) => (i ? [el("span", { class: "sep", "aria-hidden": "true", text: " · " }), m] : [m])));
    if (doc.status === "not_eligible") {
      const against = doc.criteria.filter((c) => favourable(c) === "fail");
      reasons.append(el("p", { class: "why", text: against.length === 1 ? "Why: this criterion is against the patient." : "Why: these " + against.length + " criteria are against the patient." }));
      const list = el("ul", { id: "failing-list", class: "reason-list" });
      for (const c of against) {
        const p = firstInput(c);
        const text = c.id + " " + title(c) + ": " + statusWords(c).toLowerCase();
        const parts = splitParts(words(c.reason));
        list.append(el("li", { dataset: { criterion: c.id } },
          p ? pathLink(p, text, { criterion: c.id }) : el("span", { text }),
          parts.length < 3
            ? el("span", { class: "reason", text: " — " + sentence(parts.join("; ")) })
            : el("ul", { class: "reason reason-parts" }, ...parts.map((t) => el("li", { text: sentence(t) })))));
      }
      reasons.append(list);
    } else if (doc.status === "incomplete") {
      const where = {};
      for (const c of doc.criteria) for (const m of c.missing) (where[m] = where[m] || []).push(c.id);
      reasons.append(el("p", { class: "why", text: "Why: the screen needs these data (each opens its field)." }));
      const list = el("ul", { id: "missing-list", class: "reason-list" });
      for (const m of doc.missing) {
        const parts = [];
        m.split(" or ").forEach((alt, i) => { if (i) parts.push(" or "); parts.push(pathLink(alt)); });
        list.append(el("li", { dataset: { missing: m } }, ...parts,
          where[m] ? el("span", { class: "reason", text: " (for " + where[m].join(", ") + ")" }) : null));
      }
      reasons.append(list);
    } else {
      reasons.append(el("p", { class: "why", text: "Every inclusion criterion is met and no exclusion criterion applies." }));
    }
    for (const c of doc.criteria) tbody.append(criterionRow(c));
    document.getElementById("print-foot").textContent =
      "Screening sheet: patient " + doc.patient_id + ", screening date " + (doc.screening_date || "not recorded")
      + ", computed by clinscores " + doc.clinscores_version + " on " + new Date().toISOString().slice(0, 10)
      + ". Trial NCT07052565.";
    result.hidden = false;
    result.focus({ preventScroll: false });
  }

  function screened() {
    document.body.dataset.screened = String(Number(document.body.dataset.screened || 0) + 1);
  }

  async function screenText(text) {
    let record = null;
    try { record = JSON.parse(text); } catch (err) { record = null; }
    if (record && typeof record === "object" && !Array.isArray(record) && !record.resourceType && schema) {
      try { fillForm(record); } catch (err) { /* the form is a convenience */ }
    }
    const { status, doc } = await postJSON("/api/v1/screen", text);
    show(status, doc);
    screened();
  }

  // ------------------------------------------------------------- examples

  function buildExamples(list) {
    const box = document.getElementById("examples");
    const records = list.filter((e) => e.kind === "patient_record");
    if (!records.length) return;
    const disease = resolve(schema.properties.disease || {});
    box.append(el("h3", { class: "label", text: "Or load an example patient" }),
      el("p", { class: "hint", text: "Twelve fictional patients shipped with the package: for each disease, one eligible, one not eligible, one incomplete." }));
    const table = el("div", { class: "example-grid" });
    for (const d of diseases) {
      const order = (e) => ["_eligible", "_not_eligible", "_incomplete"].findIndex((t) => e.name.endsWith(t));
      const mine = records.filter((e) => e.disease === d).sort((a, b) => order(a) - order(b));
      if (!mine.length) continue;
      const buttons = el("div", { class: "example-buttons" });
      const row = el("div", { class: "example-row" }, el("span", { class: "example-disease", text: choiceLabel(disease, d) }), buttons);
      for (const e of mine) {
        const verdict = e.description.includes(": ") ? e.description.slice(e.description.indexOf(": ") + 2) : e.description;
        const button = el("button", { type: "button", class: "button-secondary example", dataset: { example: e.name },
          "aria-label": "Load example patient " + e.patient_id + ", " + choiceLabel(disease, d) + ": " + verdict },
          el("span", { class: "example-id", text: e.patient_id }), " ", el("span", { text: sentence(verdict) }));
        button.addEventListener("click", () => loadExample(e.name));
        buttons.append(button);
      }
      table.append(row);
    }
    box.append(table);
  }

  async function loadExample(name) {
    const r = await fetch("/api/v1/examples/" + encodeURIComponent(name));
    const text = await r.text();
    document.getElementById("json").value = text;
    await screenText(text);
    document.body.dataset.example = name;
  }

  // --------------------------------------------------------------- events

  document.getElementById("screen-json").addEventListener("click", () => {
    screenText(document.getElementById("json").value);
  });
  document.getElementById("file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    const text = await file.text();
    document.getElementById("json").value = text;
    screenText(text);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const record = collect("", schema);
    const text = JSON.stringify(record, null, 2);
    document.getElementById("json").value = text;
    const { status, doc } = await postJSON("/api/v1/screen", text);
    show(status, doc);
    screened();
  });
  document.getElementById("print").addEventListener("click", () => window.print());

  Promise.all([
    getJSON("/api/v1/schema/patient"),
    getJSON("/api/v1/examples").catch(() => []),
    getJSON("/api/v1/bilag2004").catch(() => null),
  ])
    .then(([s, list, layout]) => {
      bilag = layout;
      build(s);
      buildExamples(list);
      document.getElementById("loading").remove();
      showDisease();
      document.body.dataset.ready = "1";
    })
    .catch((err) => {
      const p = document.getElementById("loading");
      p.className = "error";
      p.textContent = "The form could not be built: the record's schema did not load (" + err + "). The API (/openapi.json) and the command line (clinscores screen) still work.";
    });
})();
