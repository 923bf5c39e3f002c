// The screening page: a form built at run time from the patient record's
// JSON Schema (GET /api/v1/schema/patient), and the screen of a record
// (POST /api/v1/screen) shown as a table. No field name is written here:
// everything comes from the schema, so the page cannot drift from the record.
"use strict";
(function () {
  const { el, postJSON } = window.clinscores;
  const form = document.getElementById("form");
  let schema = null;
  let diseases = [];

  const fieldId = (path) => "f-" + path;
  const label = (key) => key;
  // The schema's own vocabulary decides each input: "$ref" (to "#/..."),
  // "type" (a name, or a list of names with "null"), "enum", "oneOf"/"anyOf",
  // "format": "date", "minimum"/"exclusiveMinimum"/"maximum", "properties",
  // "items". An object without "properties" is edited as JSON text.
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
  const typeOf = (s) => (Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type);
  const isObject = (s) => s && typeOf(s) === "object" && s.properties;
  const isBoolean = (s) => typeOf(s) === "boolean";
  const branches = (s) => (s.oneOf || s.anyOf || []).map(resolve);
  const isNumber = (s) => typeOf(s) === "number" || typeOf(s) === "integer";

  // ---------------------------------------------------------------- build

  function smallRange(s) {
    return typeOf(s) === "integer" && s.maximum !== undefined && s.maximum - (s.minimum || 0) <= 20;
  }

  function options(s) {
    // the values a select offers, [value, text] pairs; null (unknown) first
    const out = [[null, "(unknown)"]];
    const add = (node) => {
      if (isBoolean(node)) out.push([true, "yes"], [false, "no"]);
      if (Array.isArray(node.enum)) for (const v of node.enum) if (v !== null) out.push([v, String(v)]);
      if (smallRange(node)) for (let v = node.minimum || 0; v <= node.maximum; v++) out.push([v, String(v)]);
    };
    if (branches(s).length) branches(s).forEach(add);
    else add(s);
    return out;
  }

  function usesSelect(s) {
    if (isBoolean(s) || Array.isArray(s.enum)) return true;
    const alts = branches(s);
    return alts.length > 0 && alts.every((b) =>
      isBoolean(b) || Array.isArray(b.enum) || smallRange(b) || typeOf(b) === "null");
  }

  function input(path, s) {
    const id = fieldId(path);
    const numeric = isNumber(s) ? s : branches(s).find(isNumber);
    if (usesSelect(s)) {
      const select = el("select", { id, name: path, dataset: { kind: "json" } });
      for (const [value, text] of options(s)) {
        select.append(el("option", { value: value === null ? "" : JSON.stringify(value), text }));
      }
      return select;
    }
    if (numeric) {
      const integer = typeOf(numeric) === "integer";
      const attrs = { id, name: path, type: "number", step: integer ? "1" : "any", dataset: { kind: "number" } };
      const lo = numeric.minimum !== undefined ? numeric.minimum : numeric.exclusiveMinimum;
      const hi = numeric.maximum !== undefined ? numeric.maximum : numeric.exclusiveMaximum;
      if (lo !== undefined) attrs.min = lo;
      if (hi !== undefined) attrs.max = hi;
      return el("input", attrs);
    }
    if (typeOf(s) === "array") {
      const item = resolve(s.items);
      return el("input", {
        id, name: path, type: "text", placeholder: "comma-separated; none: none; empty: unknown",
        dataset: { kind: "list", item: isNumber(item) ? "number" : "text" },
      });
    }
    if (typeOf(s) === "object") {
      return el("textarea", { id, name: path, rows: "2", placeholder: "JSON object", dataset: { kind: "jsontext" } });
    }
    if (s.format === "date") return el("input", { id, name: path, type: "date", dataset: { kind: "text" } });
    return el("input", { id, name: path, type: "text", autocomplete: "off", dataset: { kind: "text" } });
  }

  function field(key, path, raw, required) {
    const s = resolve(raw);
    if (isObject(s)) return group(key, path, s);
    if (typeOf(s) === "array" && isObject(resolve(s.items))) return repeated(key, path, s);
    const control = input(path, s);
    return el("div", { class: "field" },
      el("label", { for: control.id, title: s.description || "" },
        el("code", { text: key }), required ? el("span", { class: "required", text: " (required)" }) : null),
      control,
      s.description ? el("small", { text: s.description }) : null);
  }

  function group(key, path, s) {
    const box = el("fieldset", { id: fieldId(path), tabindex: "-1", dataset: { path } },
      el("legend", { text: label(key) + (s.description ? ": " + s.description : "") }));
    const required = new Set(s.required || []);
    for (const [k, sub] of Object.entries(s.properties)) {
      box.append(field(k, path ? path + "." + k : k, sub, required.has(k)));
    }
    return box;
  }

  function repeated(key, path, s) {
    const items = el("div", { class: "items" });
    const box = el("fieldset", { id: fieldId(path), tabindex: "-1", class: "repeated", dataset: { path, next: "0" } },
      el("legend", { text: label(key) + (s.description ? ": " + s.description : "") }), items);
    const add = el("button", { type: "button", class: "add", text: "add " + label(key).replace(/s$/, "") });
    add.addEventListener("click", () => addItem(box, resolve(s.items)));
    const none = el("input", { type: "checkbox", id: fieldId(path) + "-none", class: "none" });
    box.append(add, " ", none, el("label", { for: none.id, text: "none (no item, as opposed to unknown)" }));
    return box;
  }

  function addItem(box, itemSchema) {
    const n = Number(box.dataset.next);
    box.dataset.next = String(n + 1);
    const path = box.dataset.path + "[" + n + "]";
    const item = group("item " + (n + 1), path, itemSchema);
    item.classList.add("item");
    const remove = el("button", { type: "button", class: "remove", text: "remove" });
    remove.addEventListener("click", () => item.remove());
    item.append(remove);
    box.querySelector(":scope > .items").append(item);
    return item;
  }

  function build(root) {
    schema = root;
    diseases = (root.properties.disease && root.properties.disease.enum) || [];
    const required = new Set(root.required || []);
    const common = el("fieldset", { id: "common", dataset: { path: "" } }, el("legend", { text: "common fields" }));
    form.append(common);
    for (const [key, s] of Object.entries(root.properties)) {
      const node = field(key, key, s, required.has(key));
      if (diseases.includes(key)) {
        node.classList.add("disease");
        node.hidden = true;
        form.append(node);
      } else {
        common.append(node);
      }
    }
    const select = document.getElementById(fieldId("disease"));
    if (select) select.addEventListener("change", showDisease);
  }

  function chosenDisease() {
    const select = document.getElementById(fieldId("disease"));
    return select && select.value ? JSON.parse(select.value) : null;
  }

  function showDisease() {
    const chosen = chosenDisease();
    for (const d of diseases) {
      const box = document.getElementById(fieldId(d));
      if (box) box.hidden = d !== chosen;
    }
  }

  // -------------------------------------------------------------- collect

  function valueOf(control) {
    const raw = control.value.trim();
    if (raw === "") return undefined;
    switch (control.dataset.kind) {
      case "json": return JSON.parse(raw);
      case "number": return Number(raw);
      case "list": {
        if (raw.toLowerCase() === "none") return [];
        const parts = raw.split(",").map((x) => x.trim()).filter((x) => x !== "");
        return control.dataset.item === "number" ? parts.map(Number) : parts;
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
        if (path === "" && diseases.includes(k) && k !== chosenDisease()) continue;
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

  function fill(path, raw, value) {
    const s = resolve(raw);
    if (isObject(s)) {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return;
      for (const [k, sub] of Object.entries(s.properties)) {
        fill(path ? path + "." + k : k, sub, value[k]);
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
    if (!control) return;
    if (value === undefined || value === null) control.value = "";
    else if (control.dataset.kind === "json" || control.dataset.kind === "jsontext") {
      control.value = JSON.stringify(value);
    }
    else if (control.dataset.kind === "list") {
      control.value = Array.isArray(value) ? (value.length ? value.join(", ") : "none") : String(value);
    }
    else control.value = String(value);
  }

  function fillForm(record) {
    form.querySelectorAll("input, select, textarea").forEach((c) => {
      if (c.type === "checkbox") c.checked = false;
      else c.value = "";
    });
    fill("", schema, record);
    showDisease();
  }

  // --------------------------------------------------------------- result

  function target(path) {
    // the input (or group) of a JSON path, or of its nearest ancestor
    let p = path;
    while (p) {
      const node = document.getElementById(fieldId(p));
      if (node) return node;
      const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
      p = cut > 0 ? p.slice(0, cut) : "";
    }
    return null;
  }

  function pathLink(path) {
    const node = target(path);
    if (!node) return el("code", { text: path });
    const link = el("a", { href: "#" + node.id, class: "path", dataset: { path } }, el("code", { text: path }));
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const section = node.closest("fieldset.disease");
      if (section) section.hidden = false;
      node.scrollIntoView({ block: "center" });
      const focusable = node.matches("input, select, textarea") ? node : node.querySelector("input, select, textarea, button");
      (focusable || node).focus();
    });
    return link;
  }

  function favourable(c) {
    if (c.status === "unknown") return "unknown";
    if (c.status === "not_applicable") return "na";
    const met = c.status === "met";
    return (c.kind === "inclusion") === met ? "ok" : "fail";
  }

  function show(status, doc) {
    const result = document.getElementById("result");
    const verdict = document.getElementById("verdict");
    const problems = document.getElementById("problems");
    const tbody = document.querySelector("#criteria tbody");
    const missing = document.getElementById("missing");
    result.hidden = false;
    problems.replaceChildren();
    tbody.replaceChildren();
    missing.replaceChildren();
    document.getElementById("criteria").hidden = status !== 200;
    if (status !== 200) {
      verdict.className = "verdict verdict-invalid";
      verdict.dataset.status = "invalid";
      verdict.textContent = "Not screened: " + (doc.error || "error " + status);
      if (Array.isArray(doc.problems)) {
        const list = el("ul", { class: "problems" });
        for (const p of doc.problems) {
          list.append(el("li", {}, p.path ? pathLink(p.path) : null, p.path ? ": " : "", p.message));
        }
        problems.append(list);
      }
      return;
    }
    verdict.className = "verdict verdict-" + doc.status;
    verdict.dataset.status = doc.status;
    verdict.textContent = "Patient " + doc.patient_id + " (" + doc.disease + "): "
      + doc.status.replace("_", " ").toUpperCase();
    for (const c of doc.criteria) {
      const row = el("tr", { id: "c-" + c.id, class: "row-" + favourable(c), dataset: { status: c.status } },
        el("th", { scope: "row", text: c.id }),
        el("td", { class: "status status-" + c.status, text: c.status.replace("_", " ") }),
        el("td", {}, el("strong", { text: c.title }), " ", c.reason.startsWith(c.title) ? c.reason.slice(c.title.length).replace(/^[:\s]+/, "") : c.reason));
      tbody.append(row);
    }
    if (doc.missing.length) {
      const where = {};
      for (const c of doc.criteria) for (const m of c.missing) (where[m] = where[m] || []).push(c.id);
      const list = el("ul", { id: "missing-list" });
      for (const m of doc.missing) {
        // "birth_date or age_years": a link to each alternative
        const parts = [];
        m.split(" or ").forEach((alt, i) => { if (i) parts.push(" or "); parts.push(pathLink(alt)); });
        list.append(el("li", { dataset: { missing: m } }, ...parts,
          where[m] ? " (" + where[m].join(", ") + ")" : null));
      }
      missing.append(el("h3", { text: "Missing data that would decide the screen" }), list);
    }
  }

  async function screenText(text) {
    let record = null;
    try {
      record = JSON.parse(text);
    } catch (err) {
      record = null;
    }
    if (record && typeof record === "object" && !Array.isArray(record) && schema) {
      try { fillForm(record); } catch (err) { /* the form is a convenience */ }
    }
    const { status, doc } = await postJSON("/api/v1/screen", text);
    show(status, doc);
    document.body.dataset.screened = String(Number(document.body.dataset.screened || 0) + 1);
  }

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
  document.getElementById("screen-form").addEventListener("click", async () => {
    const record = collect("", schema);
    const text = JSON.stringify(record, null, 2);
    document.getElementById("json").value = text;
    const { status, doc } = await postJSON("/api/v1/screen", text);
    show(status, doc);
    document.body.dataset.screened = String(Number(document.body.dataset.screened || 0) + 1);
  });

  fetch("/api/v1/schema/patient")
    .then((r) => r.json())
    .then((s) => { build(s); document.body.dataset.ready = "1"; })
    .catch((err) => {
      form.append(el("p", { class: "error", text: "the record schema could not be loaded: " + err }));
    });
})();
