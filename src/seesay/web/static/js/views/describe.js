// Describe an image and hear it: the native POST /v1/img2voice, or the img2voice-compatible
// route when this server has no native one (feature-detected from /openapi.json).

import { hasRoute, post, requestSchema } from "../api.js";
import { renderAudioResult } from "../audio-result.js";
import { $, fill, announce, busy, h, showError } from "../dom.js";
import { PRESETS, allVoices, fillLanguageSelect, fillVoiceSelect, languagesOf, voicesFor } from "../voices.js";

const NATIVE = "/v1/img2voice";
const COMPAT = "/compat/img2voice/v1";
const MAX_BYTES = 20 * 1024 * 1024;

let file = null;
let previewUrl = "";
let route = null; // {path, native, fields}
let ready = false;

export function reset() {
  setFile(null);
  ready = false;
  fill($("describe-output"));
  $("describe-result").hidden = true;
}

/** Which route to call and how it names its fields. */
async function detectRoute() {
  if (await hasRoute("post", NATIVE)) {
    const schema = (await requestSchema("post", NATIVE, "application/json")) || {};
    const props = schema.properties || {};
    return {
      path: NATIVE,
      native: true,
      voice: "voice" in props || !("voice_id" in props) ? "voice" : "voice_id",
      format: "format" in props || !("output_format" in props) ? "format" : "output_format",
    };
  }
  if (await hasRoute("post", COMPAT)) {
    return { path: COMPAT, native: false, voice: "voice_id", format: "output_format" };
  }
  return null;
}

export async function init() {
  for (const radio of document.querySelectorAll("input[name=describe-source]")) {
    radio.addEventListener("change", syncSource);
  }
  $("describe-file").addEventListener("change", (e) => setFile(e.target.files[0] || null));
  const drop = $("describe-drop");
  for (const type of ["dragenter", "dragover"]) {
    drop.addEventListener(type, (e) => {
      e.preventDefault();
      drop.classList.add("dragging");
    });
  }
  for (const type of ["dragleave", "drop"]) {
    drop.addEventListener(type, () => drop.classList.remove("dragging"));
  }
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    const dropped = [...(e.dataTransfer?.files || [])].find((f) => f.type.startsWith("image/"));
    if (dropped) useFile(dropped, "dropped");
  });
  document.addEventListener("paste", (e) => {
    if ($("view-describe").hidden) return;
    const item = [...(e.clipboardData?.items || [])].find((i) => i.type.startsWith("image/"));
    if (!item) return;
    e.preventDefault();
    useFile(item.getAsFile(), "pasted");
  });
  $("describe-language").addEventListener("change", refreshVoices);
  $("describe-form").addEventListener("submit", submit);
}

export async function show() {
  if (ready) return;
  route = await detectRoute();
  if (!route) {
    showError($("describe-error"), { message: "This server has no image-to-voice route." });
    $("describe-submit").disabled = true;
    return;
  }
  const voices = await allVoices();
  fillLanguageSelect($("describe-language"), languagesOf(voices), { selected: "en" });
  await refreshVoices();
  ready = true;
}

async function refreshVoices() {
  if (route && !route.native) {
    // The compatible route takes only its five voice names.
    fillVoiceSelect($("describe-voice"), [], { presets: true });
    $("describe-voice").querySelector("optgroup:last-child")?.remove();
    return;
  }
  fillVoiceSelect($("describe-voice"), await voicesFor($("describe-language").value));
}

function syncSource() {
  const fromUrl = document.querySelector("input[name=describe-source]:checked").value === "url";
  $("describe-file-pane").hidden = fromUrl;
  $("describe-url-pane").hidden = !fromUrl;
}

function useFile(f, how) {
  document.querySelector("input[name=describe-source][value=file]").checked = true;
  syncSource();
  setFile(f);
  if (f) announce(`Image ${how}: ${f.name || "from the clipboard"}.`, { visible: false });
}

function setFile(f) {
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = "";
  file = f;
  const img = $("describe-preview");
  const status = $("describe-file-status");
  const drop = $("describe-drop");
  if (!f) {
    img.hidden = true;
    img.removeAttribute("src");
    drop.dataset.empty = "true";
    status.textContent = "JPEG, PNG, WebP, GIF, BMP or TIFF, up to 20 MB.";
    return;
  }
  previewUrl = URL.createObjectURL(f);
  img.src = previewUrl;
  img.alt = `Preview of ${f.name || "the pasted image"}`;
  img.hidden = false;
  drop.dataset.empty = "false";
  status.textContent = `${f.name || "Pasted image"} · ${(f.size / 1024).toFixed(0)} KB`;
}

function buildRequest() {
  const fromUrl = document.querySelector("input[name=describe-source]:checked").value === "url";
  const options = {
    [route.voice]: $("describe-voice").value || PRESETS[0].id,
    language: $("describe-language").value || "en",
    detail: document.querySelector("input[name=describe-detail]:checked").value,
    [route.format]: $("describe-format").value,
  };
  if (fromUrl) {
    const url = $("describe-url").value.trim();
    if (!/^https?:\/\/\S+$/i.test(url)) return { error: "Enter an http(s) image URL.", focus: "describe-url" };
    return { json: { image_url: url, ...options } };
  }
  if (!file) return { error: "Choose, drop or paste an image first.", focus: "describe-file" };
  if (file.size > MAX_BYTES) return { error: "That image is over 20 MB.", focus: "describe-file" };
  const form = new FormData();
  form.append("image", file, file.name || "pasted-image");
  for (const [k, v] of Object.entries(options)) form.append(k, v);
  return { form };
}

/** The native and the compatible answers, as one shape. */
function normalize(r, requested) {
  const voice = typeof r.voice === "object" && r.voice ? r.voice.id || r.voice.name : r.voice;
  const engines = r.engines || {};
  const notes = [];
  if (r.translated && r.source_language) notes.push(`Translated from ${r.source_language}.`);
  if (r.voice_fallback) notes.push(r.voice_fallback);
  const serverMs = r.timings ? r.timings.total_ms ?? r.timings.total : undefined;
  return {
    text: r.description ?? r.text ?? "",
    audioUrl: r.audio_url,
    duration: r.duration_seconds ?? r.duration,
    voice: voice || r.voice_id,
    requestedVoice: requested,
    engine: engines.tts || r.engine,
    language: r.language || undefined,
    format: r.format || r.output_format || $("describe-format").value,
    id: r.id,
    serverMs,
    notes,
  };
}

async function submit(event) {
  event.preventDefault();
  showError($("describe-error"), null);
  if (!route) return;
  const req = buildRequest();
  if (req.error) {
    showError($("describe-error"), { message: req.error });
    $(req.focus).focus();
    return;
  }
  await busy($("describe-submit"), "Looking…", async () => {
    const output = $("describe-output");
    output.setAttribute("aria-busy", "true");
    const started = performance.now();
    try {
      const r = await post(route.path, req);
      const result = normalize(r, $("describe-voice").value);
      result.elapsedMs = performance.now() - started;
      $("describe-result").hidden = false;
      renderAudioResult(output, result);
      output.prepend(h("span", { class: "visually-hidden" }, "Description: "));
      $("describe-result").scrollIntoView({ behavior: "smooth", block: "nearest" });
    } catch (error) {
      showError($("describe-error"), error);
    } finally {
      output.removeAttribute("aria-busy");
    }
  });
}
