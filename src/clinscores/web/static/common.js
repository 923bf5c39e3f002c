// Shared helpers of the clinscores pages. Every text from the server or a
// record goes into the page through textContent, never through HTML.
"use strict";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function postJSON(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  let doc = null;
  try {
    doc = await response.json();
  } catch (err) {
    doc = { error: "the server's answer is not JSON (" + response.status + ")" };
  }
  return { status: response.status, doc };
}

async function getJSON(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(url + ": " + response.status);
  return response.json();
}

// the last resort for a word the vocabulary does not give: "very_high" -> "very high"
function humanize(key) {
  return String(key).replace(/_/g, " ");
}

// a text as a sentence: its first letter in capitals
function sentence(text) {
  const t = String(text || "");
  return t ? t.charAt(0).toUpperCase() + t.slice(1) : t;
}

// a reason as clinicians write it: ">=" as "≥", "<=" as "≤", and the units by
// the rewrites of the record schema's "x-unit-words" (x10^9/L as ×10⁹/L)
function clinicalText(text, unitWords) {
  let out = String(text).replace(/(^|[\s(])>=(?=\s)/g, "$1≥").replace(/(^|[\s(])<=(?=\s)/g, "$1≤");
  for (const u of unitWords || []) out = out.replace(new RegExp(u.pattern, "g"), u.text);
  return out;
}

window.clinscores = { el, postJSON, getJSON, humanize, sentence, clinicalText };
