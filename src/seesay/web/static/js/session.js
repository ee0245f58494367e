// The API key lives in sessionStorage only: per tab, gone when the tab closes, never in a URL.

const KEY = "seesay.apiKey";

export function getKey() {
  try {
    return sessionStorage.getItem(KEY) || "";
  } catch {
    return "";
  }
}

export function setKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function clearKey() {
  sessionStorage.removeItem(KEY);
}
