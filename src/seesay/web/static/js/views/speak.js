// Text to speech (POST /v1/speech) and the voice browser (GET /v1/voices).

import { get, hasRoute, post } from "../api.js";
import { renderAudioResult } from "../audio-result.js";
import { $, fill, announce, busy, errorText, h, languageName, showError } from "../dom.js";
import { allVoices, fillLanguageSelect, fillVoiceSelect, languagesOf, voicesFor } from "../voices.js";

// A short sample sentence per language; other languages say their own name in English.
const SAMPLES = {
  en: "Hello! This is how I sound when I read for you.",
  es: "¡Hola! Así es como sueno cuando leo para ti.",
  fr: "Bonjour ! Voici ma voix quand je lis pour vous.",
  de: "Hallo! So klinge ich, wenn ich für dich vorlese.",
  it: "Ciao! Ecco come suono quando leggo per te.",
  pt: "Olá! É assim que eu soo quando leio para você.",
  ja: "こんにちは。これが私の声です。",
  zh: "你好！这就是我朗读时的声音。",
  hi: "नमस्ते! जब मैं आपके लिए पढ़ती हूँ तो मेरी आवाज़ ऐसी होती है।",
  nl: "Hallo! Zo klink ik als ik voor je voorlees.",
  ru: "Привет! Вот так звучит мой голос.",
};

const PAGE = 12;
let voices = [];
let pending = null;
let limit = PAGE;

export function reset() {
  voices = [];
  fill($("speak-output"));
}

export async function init() {
  const text = $("speak-text");
  const count = () => {
    $("speak-count").textContent = `${text.value.length} / 4096 characters`;
  };
  text.addEventListener("input", count);
  count();
  $("speak-speed").addEventListener("input", (e) => {
    $("speak-speed-out").textContent = `${Number(e.target.value).toFixed(1)}×`;
  });
  $("speak-language").addEventListener("change", refreshVoiceSelect);
  $("speak-form").addEventListener("submit", speak);
  $("voices-more").addEventListener("click", showMore);
  // A new clone: reload the voices the next time this page shows.
  window.addEventListener("seesay:voices-changed", () => {
    voices = [];
  });
  for (const id of ["voices-search", "voices-language", "voices-gender"]) {
    $(id).addEventListener("input", () => {
      limit = PAGE;
      renderList();
    });
  }
}

export async function show() {
  if (voices.length) {
    useRequestedVoice();
    return;
  }
  // Natural voices first (the robotic espeak ones last), English first, then by language.
  const rank = (v) => [v.engine === "espeak" ? 1 : 0, v.language.startsWith("en") ? 0 : 1];
  voices = [...(await allVoices())].sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    return ra[0] - rb[0] || ra[1] - rb[1] ||
      languageName(a.language).localeCompare(languageName(b.language)) || a.name.localeCompare(b.name);
  });
  const tags = languagesOf(voices);
  fillLanguageSelect($("speak-language"), tags, { auto: true });
  fillLanguageSelect($("voices-language"), tags, { any: true, selected: "" });
  await refreshVoiceSelect();
  renderList();
  useRequestedVoice();
}

/** A voice picked on another page (a fresh clone) to speak with. */
function useRequestedVoice() {
  const wanted = sessionStorage.getItem("seesay.useVoice");
  if (!wanted) return;
  sessionStorage.removeItem("seesay.useVoice");
  const select = $("speak-voice");
  if (![...select.options].some((o) => o.value === wanted)) {
    select.prepend(h("option", { value: wanted }, `${wanted} (cloned)`));
  }
  select.value = wanted;
}

function clones() {
  return voices.filter((v) => v.type === "clone" && v.status !== "processing" && v.status !== "failed");
}

async function refreshVoiceSelect() {
  const list = (await voicesFor($("speak-language").value)).filter((v) => v.type !== "clone");
  fillVoiceSelect($("speak-voice"), list, { extra: clones() });
}

// Native /v1/speech speaks the catalogue's voices; a cloned voice speaks through the Voice
// Clone surface's asynchronous TTS (queued, then polled), when this server has it.
const CLONE_TTS = "/compat/voiceclone/api/v1/tts";

async function speakWithClone(body) {
  if (!(await hasRoute("post", CLONE_TTS))) {
    throw new Error("This server cannot speak with cloned voices (no voice-clone TTS route).");
  }
  const format = ["mp3", "wav", "opus"].includes(body.format) ? body.format : "mp3";
  const queued = await post(CLONE_TTS, { json: { text: body.text, voiceId: body.voice, format } });
  for (let i = 0; i < 300; i += 1) {
    const { speech } = await get(`${CLONE_TTS}/${encodeURIComponent(queued.speechId)}`);
    if (speech.status === "COMPLETED") {
      return {
        id: speech.id,
        audio_url: speech.audioUrl,
        duration_seconds: speech.duration,
        format,
        voice: body.voice,
        engine: "voice clone",
        language: body.language === "auto" ? "" : body.language,
      };
    }
    if (speech.status === "FAILED") throw new Error(speech.error || "Speech in the cloned voice failed.");
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("Speech in the cloned voice is taking too long.");
}

async function speak(event) {
  event.preventDefault();
  const text = $("speak-text").value.trim();
  showError($("speak-error"), null);
  if (!text) {
    showError($("speak-error"), { message: "Type something to say." });
    $("speak-text").focus();
    return;
  }
  const body = {
    text,
    voice: $("speak-voice").value || null,
    language: $("speak-language").value,
    speed: Number($("speak-speed").value),
    format: $("speak-format").value,
  };
  await busy($("speak-submit"), "Speaking…", async () => {
    const started = performance.now();
    try {
      const isClone = voices.some((v) => v.id === body.voice && v.type === "clone");
      const r = isClone ? await speakWithClone(body) : await post("/v1/speech", { json: body });
      renderAudioResult($("speak-output"), {
        audioUrl: r.audio_url,
        duration: r.duration_seconds ?? undefined,
        voice: r.voice,
        requestedVoice: body.voice,
        engine: r.engine,
        language: r.language,
        elapsedMs: performance.now() - started,
        format: r.format,
        id: r.id,
        notes: r.voice_fallback ? [r.voice_fallback] : [],
      });
      announce(`Speech ready, voice ${r.voice}.`, { visible: false });
    } catch (error) {
      showError($("speak-error"), error);
    }
  });
}

function matches(v) {
  const q = $("voices-search").value.trim().toLowerCase();
  const lang = $("voices-language").value;
  const gender = $("voices-gender").value;
  if (gender && v.gender !== gender) return false;
  if (lang && v.language.split("-")[0].toLowerCase() !== lang) return false;
  if (!q) return true;
  return [v.id, v.name, v.engine, v.description, languageName(v.language)].some((f) =>
    String(f || "").toLowerCase().includes(q),
  );
}

function renderList({ focusIndex = -1 } = {}) {
  const found = voices.filter(matches);
  const shown = found.slice(0, limit);
  $("voices-count").textContent = `${found.length} of ${voices.length} voices`;
  fill($("voices-list"),
    shown.length ? shown.map(voiceItem) : h("li", { class: "empty" }, "No voice matches these filters."),
  );
  const rest = found.length - shown.length;
  const more = $("voices-more");
  more.hidden = rest <= 0;
  more.textContent = `Show ${Math.min(rest, PAGE)} more of ${rest}`;
  if (focusIndex >= 0) $("voices-list").children[focusIndex]?.querySelector("button")?.focus();
}

function showMore() {
  const first = limit;
  limit += PAGE;
  renderList({ focusIndex: first });
}

function voiceItem(v) {
  const id = `voice-${v.id.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
  return h("li", { class: "voice", "aria-labelledby": `${id}-name` },
    h("div", { class: "voice-main" },
      h("p", { class: "voice-name", id: `${id}-name` }, v.name, " ", h("code", {}, v.id)),
      h("p", { class: "voice-tags" },
        h("span", { class: "badge" }, languageName(v.language)),
        h("span", { class: `badge badge-${v.gender}` }, v.gender),
        h("span", { class: "badge badge-muted" }, v.engine),
      ),
      v.description ? h("p", { class: "hint" }, v.description) : null,
    ),
    h("div", { class: "voice-actions" },
      h("button", {
        type: "button",
        class: "btn btn-secondary btn-small",
        "aria-label": `Play a sample of ${v.name}`,
        onclick: (e) => playSample(v, e.currentTarget),
      }, h("span", { class: "btn-label" }, "▶ Sample")),
      h("button", {
        type: "button",
        class: "btn btn-ghost btn-small",
        "aria-label": `Use ${v.name} for speech`,
        onclick: () => useVoice(v),
      }, "Use"),
    ),
  );
}

async function playSample(v, button) {
  if (pending) pending.abort();
  pending = new AbortController();
  const base = v.language.split("-")[0].toLowerCase();
  const text = SAMPLES[base] || `Hello! I am ${v.name}, a ${languageName(v.language)} voice.`;
  await busy(button, "Loading…", async () => {
    try {
      const r = await post("/v1/speech", {
        json: { text, voice: v.id, language: SAMPLES[base] ? v.language : "en" },
        signal: pending.signal,
      });
      const player = $("voices-sample");
      player.src = r.audio_url;
      await player.play();
      announce(`Playing a sample of ${v.name}.`, { visible: false });
    } catch (error) {
      if (error.name !== "AbortError") announce(`Sample failed: ${errorText(error)}`);
    }
  });
}

async function useVoice(v) {
  const lang = $("speak-language");
  const base = v.language.split("-")[0].toLowerCase();
  if ([...lang.options].some((o) => o.value === base)) lang.value = base;
  await refreshVoiceSelect();
  $("speak-voice").value = v.id;
  $("speak-text").focus();
  $("speak-form").scrollIntoView({ behavior: "smooth", block: "start" });
  announce(`${v.name} will speak.`);
}
