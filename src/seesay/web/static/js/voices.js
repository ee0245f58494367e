// Voices and languages, from GET /v1/voices, shared by every view.

import { get } from "./api.js";
import { fill, h, languageName } from "./dom.js";

// img2voice's voice names, offered first: each stands for a kind of voice and the server
// picks the best real voice of that kind for the language asked.
export const PRESETS = [
  { id: "eve", label: "Eve — female" },
  { id: "ara", label: "Ara — female" },
  { id: "rex", label: "Rex — male" },
  { id: "sal", label: "Sal — male" },
  { id: "leo", label: "Leo — male" },
];

let all = null;
const byLanguage = new Map();

export function allVoices() {
  if (!all) {
    all = get("/v1/voices").then((r) => r.data);
    all.catch(() => {
      all = null;
    });
  }
  return all;
}

/** Voices that speak `language` (the server's own matching: en-US speaks en, ...). */
export function voicesFor(language) {
  if (!language || language === "auto") return allVoices();
  if (!byLanguage.has(language)) {
    const p = get("/v1/voices", { query: { language } }).then((r) => r.data);
    p.catch(() => byLanguage.delete(language));
    byLanguage.set(language, p);
  }
  return byLanguage.get(language);
}

export function forget() {
  all = null;
  byLanguage.clear();
}

/** Primary language subtags the voices speak, English first, then by display name. */
export function languagesOf(voices) {
  const tags = new Set(voices.map((v) => v.language.split("-")[0].toLowerCase()));
  return [...tags].sort((a, b) => {
    if (a === "en") return -1;
    if (b === "en") return 1;
    return languageName(a).localeCompare(languageName(b));
  });
}

export function fillLanguageSelect(select, tags, { auto = false, selected = "en", any = false } = {}) {
  const current = select.value || selected;
  fill(select, 
    any ? h("option", { value: "" }, "Any language") : null,
    auto ? h("option", { value: "auto" }, "Detect automatically") : null,
    ...tags.map((tag) => h("option", { value: tag }, `${languageName(tag)} (${tag})`)),
  );
  select.value = [...select.options].some((o) => o.value === current) ? current : selected;
  if (select.selectedIndex < 0) select.selectedIndex = 0;
}

export function voiceLabel(v) {
  return `${v.name} — ${languageName(v.language)}, ${v.gender}`;
}

/** Presets first, then the real voices (optionally only those speaking a language). */
export function fillVoiceSelect(select, voices, { presets = true, extra = [] } = {}) {
  const current = select.value;
  const groups = [];
  if (presets) {
    groups.push(
      h(
        "optgroup",
        { label: "Presets (best voice for the language)" },
        PRESETS.map((p) => h("option", { value: p.id }, p.label)),
      ),
    );
  }
  if (extra.length) {
    groups.push(
      h("optgroup", { label: "Your cloned voices" }, extra.map((v) => h("option", { value: v.id }, v.name))),
    );
  }
  groups.push(
    h("optgroup", { label: "All voices" }, voices.map((v) => h("option", { value: v.id }, voiceLabel(v)))),
  );
  fill(select, ...groups);
  if (current && [...select.options].some((o) => o.value === current)) select.value = current;
}
