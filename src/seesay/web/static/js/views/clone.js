// Voice cloning over the native POST /v1/voices (a job, polled at GET /v1/jobs/{id}).
// The route is feature-detected from /openapi.json: a server without it says so plainly.

import { get, hasRoute, post, requestSchema } from "../api.js";
import { $, fill, announce, busy, h, showError } from "../dom.js";
import { forget as forgetVoices } from "../voices.js";

const ROUTE = "/v1/voices";
let schema = null;
let detected = false;
const mine = [];

export function reset() {
  detected = false;
  mine.length = 0;
}

export async function init() {
  $("clone-form").addEventListener("submit", submit);
}

export async function show() {
  if (detected) return;
  detected = true;
  const available = await hasRoute("post", ROUTE);
  $("clone-unavailable").hidden = available;
  $("clone-form").hidden = !available;
  if (!available) {
    fill($("clone-unavailable"), 
      h("strong", {}, "Voice cloning is not available on this server. "),
      "Its API has no ",
      h("code", {}, "POST /v1/voices"),
      " route, so there is nothing to upload a sample to. Text to speech with the built-in voices works on the Speak page.",
    );
    return;
  }
  schema = (await requestSchema("post", ROUTE, "multipart/form-data")) || { properties: {} };
}

/** A binary property, also when declared optional (anyOf [binary, null]). */
function isFile(prop) {
  const options = [prop, ...(prop.anyOf || [])];
  return options.some((o) => o.format === "binary" || o.contentMediaType);
}

function field(candidates, fallback) {
  const props = (schema && schema.properties) || {};
  return candidates.find((c) => c in props) || fallback;
}

async function submit(event) {
  event.preventDefault();
  showError($("clone-error"), null);
  const file = $("clone-file").files[0];
  const name = $("clone-name").value.trim();
  if (!name) return fail("Give the voice a name.", "clone-name");
  if (!file) return fail("Choose a voice sample.", "clone-file");
  if (!$("clone-consent").checked) return fail("Confirm you have the right to clone this voice.", "clone-consent");
  const props = (schema && schema.properties) || {};
  const fileField = Object.keys(props).find((k) => isFile(props[k])) || "file";
  const form = new FormData();
  form.append(fileField, file, file.name);
  form.append(field(["name", "title"], "name"), name);
  const description = $("clone-description").value.trim();
  if (description) form.append(field(["description"], "description"), description);
  form.append(field(["consent"], "consent"), "true");
  await busy($("clone-submit"), "Cloning…", async () => {
    try {
      $("clone-status").textContent = "Uploading and analysing the sample…";
      let r = await post(ROUTE, { form });
      if (r.object === "job" || (r.status && r.kind)) r = await waitForJob(r.id);
      const voice = r.voice || r;
      const id = voice.id || voice.voice_id;
      mine.push({ id, name: voice.name || name });
      forgetVoices(); // GET /v1/voices now lists the clone
      window.dispatchEvent(new Event("seesay:voices-changed"));
      renderMine();
      $("clone-status").textContent = `Cloned: ${voice.name || name} (${id}).`;
      announce(`Voice ${voice.name || name} is ready.`);
    } catch (error) {
      $("clone-status").textContent = "";
      showError($("clone-error"), error);
    }
  });
}

async function waitForJob(id) {
  for (let i = 0; i < 240; i += 1) {
    const job = await get(`/v1/jobs/${encodeURIComponent(id)}`);
    if (job.status === "succeeded") return job.result || {};
    if (job.status === "failed" || job.status === "cancelled") {
      const e = job.error || {};
      throw Object.assign(new Error(e.message || `The clone job ${job.status}.`), { code: e.code || job.status });
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error("The clone job is taking too long; check GET /v1/jobs later.");
}

function fail(message, focus) {
  showError($("clone-error"), { message });
  $(focus).focus();
}

function renderMine() {
  $("clone-mine").hidden = mine.length === 0;
  fill($("clone-list"), 
    ...mine.map((v) =>
      h("li", { class: "voice" },
        h("div", { class: "voice-main" }, h("p", { class: "voice-name" }, v.name, " ", h("code", {}, v.id))),
        h("div", { class: "voice-actions" },
          h("a", {
            class: "btn btn-secondary btn-small",
            href: "#/speak",
            onclick: () => sessionStorage.setItem("seesay.useVoice", v.id),
          }, "Use in Speak"),
        ),
      ),
    ),
  );
}
