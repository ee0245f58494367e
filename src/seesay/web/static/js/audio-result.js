// The result block shared by Describe, Speak and Clone: the text (if any), a player, who
// spoke, how long it took, and a download link.

import { fill, h, languageName, seconds } from "./dom.js";

/**
 * @param {HTMLElement} container  an aria-live region; its new content is read out
 * @param {object} r  {text, audioUrl, duration, voice, requestedVoice, engine, language,
 *                     elapsedMs (round trip), serverMs, format, id, notes: [string]}
 */
export function renderAudioResult(container, r) {
  const audio = h("audio", {
    controls: true,
    preload: "auto",
    src: r.audioUrl,
    class: "player",
    "aria-label": r.text ? "Spoken description" : "Synthesized speech",
  });
  const spoke =
    r.requestedVoice && r.requestedVoice !== r.voice ? `${r.voice} (for ${r.requestedVoice})` : r.voice;
  const chips = [
    spoke && chip("Voice", spoke),
    r.engine && chip("Engine", r.engine),
    r.language && chip("Language", languageName(r.language)),
    r.duration !== undefined && chip("Audio", seconds(r.duration)),
    r.elapsedMs !== undefined && chip("Took", seconds(r.elapsedMs / 1000)),
    r.serverMs !== undefined && chip("Server time", seconds(r.serverMs / 1000)),
  ];
  const name = `seesay-${r.id || "audio"}.${r.format || "mp3"}`;
  fill(container, 
    r.text ? h("p", { class: "description", lang: r.language || undefined }, r.text) : null,
    ...(r.notes || []).map((note) => h("p", { class: "hint" }, note)),
    h("div", { class: "player-row" },
      audio,
      h("a", { class: "btn btn-secondary btn-small", href: r.audioUrl, download: name }, "Download audio"),
    ),
    h("dl", { class: "chips", "aria-label": "Details" }, chips),
  );
  return audio;
}

function chip(label, value) {
  return h("div", { class: "chip" }, h("dt", {}, label), h("dd", {}, value));
}
