// Speech to text with timestamps: record (MediaRecorder) or upload, then the OpenAI-compatible
// POST /v1/audio/transcriptions (verbose_json) or the native POST /v1/transcribe, whichever
// this server has (feature-detected, field names read from its OpenAPI document).

import { hasRoute, post, requestSchema } from "../api.js";
import { $, fill, announce, busy, clock, h, languageName, seconds, showError } from "../dom.js";
import { allVoices, fillLanguageSelect, languagesOf } from "../voices.js";

const OPENAI = "/v1/audio/transcriptions";
const NATIVE = "/v1/transcribe";
const MAX_SECONDS = 300;

let audio = null; // File
let playerUrl = "";
let recorder = null;
let timer = 0;
let route = null;

export function reset() {
  stopRecording(true);
  setAudio(null, "");
  route = null;
}

async function detectRoute() {
  for (const [path, openai] of [[NATIVE, false], [OPENAI, true]]) {
    if (!(await hasRoute("post", path))) continue;
    const schema = (await requestSchema("post", path, "multipart/form-data")) || {};
    const props = schema.properties || {};
    const isFile = (p) => [p, ...(p.anyOf || [])].some((o) => o.format === "binary" || o.contentMediaType);
    const fileField = Object.keys(props).find((k) => isFile(props[k])) || "file";
    return { path, openai, fileField, props };
  }
  return null;
}

export async function init() {
  $("transcribe-record").addEventListener("click", toggleRecording);
  $("transcribe-file").addEventListener("change", (e) => {
    const f = e.target.files[0] || null;
    setAudio(f, f ? `${f.name} · ${(f.size / 1024).toFixed(0)} KB` : "");
  });
  $("transcribe-form").addEventListener("submit", submit);
  if (!window.MediaRecorder || !navigator.mediaDevices?.getUserMedia) {
    $("transcribe-record").disabled = true;
    $("transcribe-rec-time").textContent = "Recording is not available in this browser.";
  }
}

export async function show() {
  if (route) return;
  route = await detectRoute();
  if (!route) {
    $("transcribe-route").textContent = "This server has no transcription route.";
    $("transcribe-submit").disabled = true;
    return;
  }
  $("transcribe-route").textContent = `Sent to ${route.path}.`;
  const voices = await allVoices().catch(() => []);
  const tags = [...new Set(["en", ...languagesOf(voices)])];
  fillLanguageSelect($("transcribe-language"), tags, { auto: true, selected: "auto" });
}

function setAudio(file, label) {
  audio = file;
  if (playerUrl) URL.revokeObjectURL(playerUrl);
  playerUrl = "";
  const player = $("transcribe-player");
  if (file) {
    playerUrl = URL.createObjectURL(file);
    player.src = playerUrl;
    player.hidden = false;
  } else {
    player.removeAttribute("src");
    player.hidden = true;
  }
  $("transcribe-status").textContent = file ? `Ready: ${label}` : "No audio yet.";
  $("transcribe-submit").disabled = !file || !route;
}

async function toggleRecording() {
  if (recorder) {
    stopRecording(false);
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (error) {
    showError($("transcribe-error"), { message: `The microphone is not available: ${error.message}` });
    return;
  }
  const type = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm"].find((t) =>
    MediaRecorder.isTypeSupported(t),
  );
  const chunks = [];
  recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  recorder.addEventListener("dataavailable", (e) => e.data.size && chunks.push(e.data));
  recorder.addEventListener("stop", () => {
    stream.getTracks().forEach((t) => t.stop());
    if (recorder && recorder.discard) return;
    const mime = (recorder && recorder.mimeType) || "audio/webm";
    const ext = mime.includes("ogg") ? "ogg" : "webm";
    const file = new File(chunks, `recording.${ext}`, { type: mime.split(";")[0] });
    recorder = null;
    setAudio(file, `a ${$("transcribe-rec-time").textContent} recording`);
    announce("Recording stopped. Press Transcribe to get the text.");
  });
  const startedAt = performance.now();
  recorder.start(250);
  setRecordingUi(true);
  timer = setInterval(() => {
    const elapsed = (performance.now() - startedAt) / 1000;
    $("transcribe-rec-time").textContent = clock(elapsed).replace(/\.\d$/, "");
    if (elapsed >= MAX_SECONDS) stopRecording(false);
  }, 250);
  announce("Recording. Press the button again to stop.");
}

function stopRecording(discard) {
  clearInterval(timer);
  if (recorder && recorder.state !== "inactive") {
    recorder.discard = discard;
    recorder.stop();
  }
  if (discard) recorder = null;
  setRecordingUi(false);
}

function setRecordingUi(on) {
  const button = $("transcribe-record");
  button.setAttribute("aria-pressed", String(on));
  button.classList.toggle("recording", on);
  button.querySelector(".btn-label").textContent = on ? "Stop recording" : "Record";
}

async function submit(event) {
  event.preventDefault();
  showError($("transcribe-error"), null);
  if (!audio || !route) return;
  const form = new FormData();
  form.append(route.fileField, audio, audio.name || "audio.webm");
  const language = $("transcribe-language").value;
  if (route.openai) {
    form.append("model", "whisper-1");
    form.append("response_format", "verbose_json");
    form.append("timestamp_granularities[]", "segment");
    if (language && language !== "auto") form.append("language", language);
  } else {
    form.append("language", language || "auto");
    if ("timestamps" in route.props) form.append("timestamps", "true");
  }
  await busy($("transcribe-submit"), "Listening…", async () => {
    const started = performance.now();
    try {
      const r = await post(route.path, { form });
      render(r, performance.now() - started);
    } catch (error) {
      showError($("transcribe-error"), error);
    }
  });
}

function render(r, elapsedMs) {
  const segments = r.segments || [];
  const player = $("transcribe-player");
  $("transcribe-result").hidden = false;
  const lang = r.language || r.detected_language;
  const duration = r.duration_seconds ?? r.duration;
  fill($("transcribe-output"), 
    h("p", { class: "description", lang: lang || undefined }, r.text || "(no speech heard)"),
    h("dl", { class: "chips", "aria-label": "Details" },
      lang ? h("div", { class: "chip" }, h("dt", {}, "Language"), h("dd", {}, languageName(lang))) : null,
      duration !== undefined ? h("div", { class: "chip" }, h("dt", {}, "Audio"), h("dd", {}, seconds(duration))) : null,
      r.engine ? h("div", { class: "chip" }, h("dt", {}, "Engine"), h("dd", {}, r.engine)) : null,
      h("div", { class: "chip" }, h("dt", {}, "Took"), h("dd", {}, seconds(elapsedMs / 1000))),
    ),
    segments.length
      ? h("ol", { class: "segments", "aria-label": "Timestamped segments" },
          segments.map((seg) =>
            h("li", {},
              h("button", {
                type: "button",
                class: "segment",
                "aria-label": `Play from ${clock(seg.start)}: ${seg.text.trim()}`,
                onclick: () => {
                  player.currentTime = seg.start;
                  player.play().catch(() => {});
                },
              },
                h("span", { class: "segment-time" }, `${clock(seg.start)} – ${clock(seg.end)}`),
                h("span", { class: "segment-text" }, seg.text.trim()),
              ),
            ),
          ))
      : null,
  );
}
