// Small DOM helpers. Nothing here ever assigns HTML strings: the page runs under
// Trusted Types with no policy, so every node is built with createElement/textContent.

const SVG_NS = "http://www.w3.org/2000/svg";

/** Build an element: h("p", {class: "x", onclick: fn}, "text", child, ...). */
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** The same for SVG elements. */
export function s(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const $ = (id) => document.getElementById(id);

/** Say something to screen readers (and show it briefly as a toast). */
let toastTimer = 0;
export function announce(message, { visible = true } = {}) {
  const toast = $("toast");
  toast.textContent = "";
  // A fresh text node after a tick makes screen readers read a repeated message again.
  requestAnimationFrame(() => {
    toast.textContent = message;
    toast.classList.toggle("show", visible);
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => toast.classList.remove("show"), 3500);
  });
}

/** Show an error message in a role=alert element (hidden when message is empty). */
export function showError(el, error) {
  const message = error ? errorText(error) : "";
  el.textContent = message;
  el.hidden = !message;
}

export function errorText(error) {
  if (error && error.code && error.message) {
    return error.status === 0 ? error.message : `${error.message} (${error.code})`;
  }
  return String((error && error.message) || error);
}

/** Mark a button busy while `work` runs; returns its result. */
export async function busy(button, label, work) {
  const span = button.querySelector(".btn-label") || button;
  const before = span.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.classList.add("is-busy");
  span.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.classList.remove("is-busy");
    span.textContent = before;
  }
}

const languageNames = (() => {
  try {
    return new Intl.DisplayNames([navigator.language || "en"], { type: "language" });
  } catch {
    return null;
  }
})();

/** "en-US" -> "English (United States)"; falls back to the tag. */
export function languageName(tag) {
  if (!tag || tag === "auto") return "Detect automatically";
  // Private-use and unusual subtags (en-GB-x-gbclan) fall back to a shorter tag's name.
  for (const candidate of [tag, tag.split("-x-")[0], tag.split("-")[0]]) {
    try {
      const name = languageNames && languageNames.of(candidate);
      if (name && name !== candidate) return name;
    } catch {
      // Not a tag Intl knows: try a shorter one.
    }
  }
  return tag;
}

export function seconds(value) {
  if (value === undefined || value === null || Number.isNaN(value)) return "";
  if (value < 60) return `${value.toFixed(value < 1 ? 2 : value < 10 ? 1 : 0)} s`;
  const m = Math.floor(value / 60);
  const sec = Math.round(value % 60);
  return `${m}:${String(sec).padStart(2, "0")} min`;
}

export function clock(value) {
  const m = Math.floor(value / 60);
  const sec = value - m * 60;
  return `${m}:${sec.toFixed(1).padStart(4, "0")}`;
}

export function credits(value) {
  const n = Number(value || 0);
  return n.toLocaleString(undefined, { maximumFractionDigits: 3 });
}

/** "1 credit", "0.5 credits", "12 credits". */
export function creditCount(value) {
  return `${credits(value)} ${Number(value) === 1 ? "credit" : "credits"}`;
}

export function plural(n, word) {
  return `${n.toLocaleString()} ${word}${n === 1 ? "" : "s"}`;
}

export function dateTime(value) {
  if (!value) return "—";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** Ask the user to confirm in the page's <dialog>; resolves true or false. */
export function confirmDialog(title, text, okLabel = "Confirm") {
  const dialog = $("confirm");
  $("confirm-title").textContent = title;
  $("confirm-text").textContent = text;
  $("confirm-ok").textContent = okLabel;
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const done = (value) => {
      dialog.close();
      $("confirm-ok").removeEventListener("click", ok);
      $("confirm-cancel").removeEventListener("click", cancel);
      dialog.removeEventListener("cancel", cancel);
      if (opener && opener.isConnected) opener.focus();
      resolve(value);
    };
    const ok = () => done(true);
    const cancel = (event) => {
      if (event) event.preventDefault();
      done(false);
    };
    $("confirm-ok").addEventListener("click", ok);
    $("confirm-cancel").addEventListener("click", cancel);
    dialog.addEventListener("cancel", cancel);
    dialog.showModal();
    $("confirm-cancel").focus();
  });
}
