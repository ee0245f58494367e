// Entry point: sign-in state and a hash router over the views (#/describe, #/speak, ...).

import { get } from "./api.js";
import { $, announce, errorText, showError } from "./dom.js";
import { clearKey, getKey, setKey } from "./session.js";
import * as account from "./views/account.js";
import * as clone from "./views/clone.js";
import * as describe from "./views/describe.js";
import * as speak from "./views/speak.js";
import * as transcribe from "./views/transcribe.js";
import { forget as forgetVoices } from "./voices.js";

const VIEWS = {
  describe: { module: describe, title: "Describe" },
  speak: { module: speak, title: "Speak" },
  transcribe: { module: transcribe, title: "Transcribe" },
  clone: { module: clone, title: "Clone a voice" },
  account: { module: account, title: "Account" },
};
const started = new Set();
let signedIn = false;

function viewName() {
  const match = /^#\/([a-z]+)/.exec(window.location.hash);
  return match && VIEWS[match[1]] ? match[1] : "describe";
}

function showOnly(id) {
  for (const section of document.querySelectorAll("main > .view")) section.hidden = section.id !== id;
}

async function route({ focus = true } = {}) {
  if (!signedIn) return;
  const name = viewName();
  const view = VIEWS[name];
  showOnly(`view-${name}`);
  for (const link of document.querySelectorAll("#nav a")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  document.title = `${view.title} · SeeSay playground`;
  const heading = document.querySelector(`#view-${name} h1`);
  if (focus && heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: false });
  }
  try {
    if (!started.has(name)) {
      started.add(name);
      await view.module.init();
    }
    await view.module.show();
    $(`view-${name}`).dataset.ready = "true";  // wired and filled: tests wait for this
  } catch (error) {
    if (error && error.status === 401) return signOut("Your key is no longer accepted. Sign in again.");
    announce(errorText(error));
  }
}

function showSignIn(message = "") {
  signedIn = false;
  $("nav").hidden = true;
  $("session").hidden = true;
  showOnly("view-signin");
  document.title = "Sign in · SeeSay playground";
  showError($("signin-error"), message ? { message } : null);
}

async function enter({ focus }) {
  const who = await get("/v1/account");
  signedIn = true;
  $("session-who").textContent = `${who.name} · ${who.plan.name} plan${who.key_mode === "test" ? " · test key" : ""}`;
  $("nav").hidden = false;
  $("session").hidden = false;
  await route({ focus });
}

function signOut(message = "") {
  clearKey();
  forgetVoices();
  started.clear();
  for (const section of document.querySelectorAll("main > .view")) delete section.dataset.ready;
  for (const view of Object.values(VIEWS)) view.module.reset?.();
  showSignIn(message);
  $("signin-key").value = "";
  $("signin-key").focus();
  announce(message || "Signed out.");
}

export function currentKey() {
  return getKey();
}

function wireSignIn() {
  const form = $("signin-form");
  const input = $("signin-key");
  $("signin-reveal").addEventListener("click", (event) => {
    const show = input.type === "password";
    input.type = show ? "text" : "password";
    event.currentTarget.textContent = show ? "Hide" : "Show";
    event.currentTarget.setAttribute("aria-pressed", String(show));
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) {
      showError($("signin-error"), { message: "Enter an API key." });
      input.focus();
      return;
    }
    const button = $("signin-submit");
    button.disabled = true;
    try {
      await get("/v1/account", { key });
      setKey(key);
      input.value = "";
      showError($("signin-error"), null);
      await enter({ focus: true });
      announce("Signed in.");
    } catch (error) {
      const message =
        error.status === 401 ? "That key was not accepted. Check it and try again." : errorText(error);
      showError($("signin-error"), { message });
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
  $("sign-out").addEventListener("click", () => signOut());
}

function wireSkipLink() {
  // The router owns the hash, so the skip link moves focus itself.
  $("skip-link").addEventListener("click", (event) => {
    event.preventDefault();
    const visible = document.querySelector("main > .view:not([hidden]) h1");
    (visible || $("main")).focus();
  });
}

async function boot() {
  wireSignIn();
  wireSkipLink();
  window.addEventListener("hashchange", () => route());
  window.addEventListener("seesay:unauthorized", () =>
    signOut("Your key is no longer accepted. Sign in again."),
  );
  if (!getKey()) {
    showSignIn();
    return;
  }
  try {
    await enter({ focus: false });
  } catch (error) {
    clearKey();
    showSignIn(error.status === 401 ? "Your saved key is no longer accepted." : errorText(error));
  }
}

boot();
