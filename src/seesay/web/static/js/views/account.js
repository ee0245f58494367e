// Account: plan, balances, usage chart and the API keys (create, copy once, revoke).

import { del, get, post } from "../api.js";
import { renderUsageChart, renderUsageTable } from "../chart.js";
import {
  $, fill, announce, confirmDialog, creditCount, credits, dateTime, errorText, h, plural, showError,
} from "../dom.js";
import { getKey } from "../session.js";

const DAYS = 30;
let series = [];
let lastUsage = null;
let resizeTimer = 0;

/** The hint the server shows for a key: its prefix and last four characters. */
function hintOf(key) {
  return key ? `${key.slice(0, "seesay_live_".length)}…${key.slice(-4)}` : "";
}

export function reset() {
  lastUsage = null;
  hideCreated();
}

export async function init() {
  $("key-create-form").addEventListener("submit", createKey);
  $("key-copy").addEventListener("click", copyKey);
  $("key-dismiss").addEventListener("click", () => {
    hideCreated();
    $("key-name").focus();
  });
  $("usage-as-table").addEventListener("click", (event) => {
    const button = event.currentTarget;
    const asTable = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(asTable));
    button.textContent = asTable ? "Show as chart" : "Show as table";
    $("usage-chart").hidden = asTable;
    $("usage-table").hidden = !asTable;
    if (!asTable && lastUsage) renderUsageChart($("usage-chart"), lastUsage, DAYS);
  });
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (lastUsage && !$("view-account").hidden && !$("usage-chart").hidden) {
        renderUsageChart($("usage-chart"), lastUsage, DAYS);
      }
    }, 150);
  });
}

export async function show() {
  const [account, keys] = await Promise.all([
    get("/v1/account", { query: { days: DAYS } }),
    get("/v1/keys"),
  ]);
  renderAccount(account);
  renderKeys(keys.data);
}

const unit = (n) => (Number(n) === 1 ? "credit" : "credits");

function stat(label, value, detail, unit = "") {
  return h("div", { class: "stat card" },
    h("p", { class: "stat-label" }, label),
    h("p", { class: "stat-value" }, value, unit ? h("span", { class: "stat-unit" }, ` ${unit}`) : null),
    detail ? h("p", { class: "stat-detail" }, detail) : null,
  );
}

function renderAccount(a) {
  const plan = a.plan;
  $("account-lead").textContent = `${a.name}${a.email ? ` · ${a.email}` : ""} · ${a.id}`;
  const b = a.balances;
  const spent = a.usage.by_day.reduce((t, d) => t + d.credits, 0);
  const requests = a.usage.by_day.reduce((t, d) => t + d.requests, 0);
  fill($("account-stats"), 
    stat("Plan", plan.name[0].toUpperCase() + plan.name.slice(1),
      `${plan.requests_per_minute} requests/min · ${plan.concurrent_requests} at a time`),
    stat(`Balance${b.mode === "test" ? " (test)" : ""}`, credits(b.credits),
      `${credits(b.monthly)} monthly + ${credits(b.purchased)} purchased`, unit(b.credits)),
    stat("Monthly credits", credits(plan.monthly_credits),
      b.reset_at ? `Resets ${dateTime(b.reset_at)}` : "No monthly reset"),
    stat(`Spent, ${DAYS} days`, credits(spent), plural(requests, "request"), unit(spent)),
  );
  lastUsage = a.usage.by_day;
  series = renderUsageChart($("usage-chart"), lastUsage, DAYS).series;
  renderUsageTable($("usage-table"), series);
  const features = a.usage.by_feature;
  const most = Math.max(1, ...features.map((f) => f.credits));
  fill($("usage-features"), 
    features.length
      ? h("ul", { class: "feature-list", "aria-label": "Usage by feature" },
          features.map((f) => {
            const bar = h("span", { class: "feature-bar", "aria-hidden": "true" });
            bar.style.width = `${Math.max(2, (f.credits / most) * 100)}%`;
            return h("li", {},
              h("span", { class: "feature-name" }, f.feature),
              h("span", { class: "feature-track" }, bar),
              h("span", { class: "feature-value" }, `${creditCount(f.credits)} · ${plural(f.requests, "request")}`),
            );
          }))
      : null,
  );
}

function renderKeys(keys) {
  const mine = hintOf(getKey());
  const rows = keys.map((k) => {
    const current = k.hint === mine && !k.revoked_at;
    const label = `${k.name || "Untitled key"} (${k.hint})`;
    return h("tr", { class: k.revoked_at ? "revoked" : "", dataset: { keyId: k.id } },
      h("th", { scope: "row" }, k.name || h("span", { class: "muted" }, "Untitled"),
        current ? h("span", { class: "badge badge-accent" }, "this browser") : null),
      h("td", { "data-label": "Key" }, h("code", {}, k.hint)),
      h("td", { "data-label": "Mode" }, h("span", { class: `badge badge-${k.mode}` }, k.mode)),
      h("td", { "data-label": "Created" }, dateTime(k.created_at)),
      h("td", { "data-label": "Last used" }, k.last_used_at ? dateTime(k.last_used_at) : "Never"),
      h("td", { "data-label": "Status" },
        k.revoked_at ? `Revoked ${dateTime(k.revoked_at)}` : h("span", { class: "status-ok" }, "Active")),
      h("td", { class: "actions" },
        k.revoked_at
          ? null
          : h("button", {
              type: "button",
              class: "btn btn-danger-ghost btn-small",
              "aria-label": `Revoke ${label}`,
              onclick: () => revokeKey(k, current, label),
            }, "Revoke")),
    );
  });
  fill($("keys-body"), ...rows);
}

async function createKey(event) {
  event.preventDefault();
  const button = $("key-create");
  button.disabled = true;
  showError($("keys-error"), null);
  try {
    const created = await post("/v1/keys", { json: { name: $("key-name").value.trim(), mode: $("key-mode").value } });
    $("key-name").value = "";
    const input = $("key-created-value");
    input.value = created.key;
    $("key-created").hidden = false;
    input.focus();
    input.select();
    announce("Key created. It is shown once: copy it now.");
    renderKeys((await get("/v1/keys")).data);
  } catch (error) {
    showError($("keys-error"), error);
  } finally {
    button.disabled = false;
  }
}

async function copyKey() {
  const input = $("key-created-value");
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    input.select();
    document.execCommand("copy");
  }
  $("key-copy").textContent = "Copied";
  announce("Key copied to the clipboard.");
  setTimeout(() => {
    $("key-copy").textContent = "Copy";
  }, 2000);
}

function hideCreated() {
  $("key-created-value").value = "";
  $("key-created").hidden = true;
}

async function revokeKey(key, current, label) {
  const text = current
    ? `Revoke ${label}? This browser signed in with it, so you will be signed out.`
    : `Revoke ${label}? Apps using it stop working at once. This cannot be undone.`;
  if (!(await confirmDialog("Revoke key?", text, "Revoke key"))) return;
  showError($("keys-error"), null);
  try {
    await del(`/v1/keys/${encodeURIComponent(key.id)}`);
    announce(`Revoked ${label}.`);
    if (current) {
      window.dispatchEvent(new Event("seesay:unauthorized"));
      return;
    }
    renderKeys((await get("/v1/keys")).data);
    $("key-name").focus();
  } catch (error) {
    showError($("keys-error"), { message: errorText(error) });
  }
}
