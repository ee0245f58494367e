"""The Voice Clone spec's examples against a live ``seesay serve``: Python (requests), cURL and
JavaScript (Node's fetch), with only the base URL and the key changed (and the spec's
placeholders: the sample's path, and the ``clxxxx`` ids the previous step returned).

The spec's text lost its indentation when it was extracted; the Python examples are re-indented
and otherwise as written. The JavaScript best-practice snippets use site-relative URLs
(``/api/v1/...``, and ``/api/user/credits`` in the first one, which the endpoint table names
``/api/v1/credits``); they get the same base URL. The Node example that needs the ``axios`` and
``form-data`` packages runs with them from ``tests/js`` (``scripts/ensure-js-packages.sh``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from support.clone_samples import CLONE_ENV, SAMPLE_TEXT
from support.live import free_port, run_cli, spawn, wait_until_ready

SPEC_BASE = "https://your-domain.com/api/v1"

NODE_MODULES = Path(__file__).resolve().parents[2] / "js" / "node_modules"

# The spec's "JavaScript (Node.js with FormData)" example, as written.
CLONE_AXIOS_JS = """
const FormData = require('form-data');
const fs = require('fs');
const axios = require('axios');
async function cloneVoice() {
const formData = new FormData();
formData.append('voice', fs.createReadStream('/path/to/voice.mp3'));
formData.append('title', 'My Voice Clone');
formData.append('description', 'A custom voice');
formData.append('tags', JSON.stringify(['male', 'energetic']));
try {
const response = await axios.post(
'https://your-domain.com/api/v1/voice-clone',
formData,
{
headers: {
'Authorization': 'Bearer YOUR_API_KEY',
...formData.getHeaders()
}
}
);
console.log('Voice cloned successfully!');
console.log('Voice ID:', response.data.voiceId);
} catch (error) {
console.error('Error:', error.response?.data || error.message);
}
}
cloneVoice();
"""

CLONE_PY = """
import requests
def clone_voice():
    url = "https://your-domain.com/api/v1/voice-clone"
    headers = {
        "Authorization": "Bearer YOUR_API_KEY"
    }
    # Open the audio file
    files = {
        'voice': open('/path/to/voice.mp3', 'rb')
    }
    data = {
        'title': 'My Voice Clone',
        'description': 'A custom voice',
        'tags': '["male","energetic"]' # JSON string
    }
    try:
        response = requests.post(url, headers=headers, files=files, data=data)
        response.raise_for_status()
        result = response.json()
        print(f"Voice cloned successfully!")
        print(f"Voice ID: {result['voiceId']}")
        print(f"Audio URL: {result['voice']['audioUrl']}")
    except requests.exceptions.RequestException as e:
        print(f"Error: {e}")
        if hasattr(e, 'response') and e.response is not None:
            print(f"Details: {e.response.json()}")
clone_voice()
"""

VOICES_PY = """
import requests
def get_voices(page=1, limit=20, status=None):
    url = "https://your-domain.com/api/v1/voices"
    headers = {
        "Authorization": "Bearer YOUR_API_KEY"
    }
    params = {
        "page": page,
        "limit": limit
    }
    if status:
        params["status"] = status
    try:
        response = requests.get(url, headers=headers, params=params)
        response.raise_for_status()
        result = response.json()
        print(f"Total voices: {result['pagination']['total']}")
        for voice in result['voices']:
            print(f"- {voice['title']} ({voice['status']}), Usage: {voice['usageCount']} times")
        return result
    except requests.exceptions.RequestException as e:
        print(f"Error: {e}")
get_voices(page=1, limit=20, status="COMPLETED")
"""

TTS_PY = """
import requests
def generate_speech():
    url = "https://your-domain.com/api/v1/tts"
    headers = {
        "Authorization": "Bearer YOUR_API_KEY",
        "Content-Type": "application/json"
    }
    data = {
        "text": "Hello, this is a test speech.",
        "voiceId": "clxxxx",
        "format": "mp3"
    }
    try:
        response = requests.post(url, headers=headers, json=data)
        response.raise_for_status()
        result = response.json()
        print(f"Speech generated!")
        print(f"Speech ID: {result['speechId']}")
        print(f"Credits used: {result['creditsUsed']}")
        print(f"Status: {result['speech']['status']}")
    except requests.exceptions.RequestException as e:
        print(f"Error: {e}")
        if hasattr(e, 'response') and e.response is not None:
            print(f"Details: {e.response.json()}")
generate_speech()
"""

STATUS_PY = """
import requests
def check_speech_status(speech_id):
    url = f"https://your-domain.com/api/v1/tts/{speech_id}"
    headers = {
        "Authorization": "Bearer YOUR_API_KEY"
    }
    try:
        response = requests.get(url, headers=headers)
        response.raise_for_status()
        result = response.json()
        print(f"Status: {result['speech']['status']}")
        if result['speech']['status'] == 'COMPLETED':
            print(f"Audio URL: {result['speech']['audioUrl']}")
            print(f"Duration: {result['speech']['duration']}")
    except requests.exceptions.RequestException as e:
        print(f"Error: {e}")
check_speech_status("clxxxx")
"""

CREDITS_PY = """
import requests
def get_credits_balance():
    url = "https://your-domain.com/api/v1/credits"
    headers = {
        "Authorization": "Bearer YOUR_API_KEY"
    }
    try:
        response = requests.get(url, headers=headers)
        response.raise_for_status()
        result = response.json()
        print(f"Total credits: {result['credits']}")
        print(f"Regular credits: {result['breakdown']['regular']}")
        print(f"Permanent credits: {result['breakdown']['permanent']}")
    except requests.exceptions.RequestException as e:
        print(f"Error: {e}")
get_credits_balance()
"""

CURL_CLONE_BASIC = """curl -X POST https://your-domain.com/api/v1/voice-clone \\
-H "Authorization: Bearer YOUR_API_KEY" \\
-F "voice=@/path/to/voice.mp3"
"""

CURL_CLONE_METADATA = """curl -X POST https://your-domain.com/api/v1/voice-clone \\
-H "Authorization: Bearer YOUR_API_KEY" \\
-F "voice=@/path/to/voice.mp3" \\
-F "title=My Voice Clone" \\
-F "description=A custom voice description" \\
-F "coverImage=https://example.com/cover.jpg" \\
-F 'tags=["male","young","energetic"]'
"""

CURL_VOICES = """curl -X GET "https://your-domain.com/api/v1/voices?page=1&limit=20&status=COMPLETED" \\
-H "Authorization: Bearer YOUR_API_KEY"
"""  # noqa: E501 - the spec's line

CURL_TTS = """curl -X POST https://your-domain.com/api/v1/tts \\
-H "Authorization: Bearer YOUR_API_KEY" \\
-H "Content-Type: application/json" \\
-d '{
"text": "Hello, this is a test speech.",
"voiceId": "clxxxx",
"format": "mp3"
}'
"""

CURL_STATUS = """curl -X GET https://your-domain.com/api/v1/tts/clxxxx \\
-H "Authorization: Bearer YOUR_API_KEY"
"""

CURL_CREDITS = """curl -X GET https://your-domain.com/api/v1/credits \\
-H "Authorization: Bearer YOUR_API_KEY"
"""

JS_EXAMPLES = """
async function cloneVoice(audioFile) {
const formData = new FormData();
formData.append('voice', audioFile); // File object from <input type="file">
formData.append('title', 'My Voice Clone');
formData.append('description', 'A custom voice');
formData.append('tags', JSON.stringify(['male', 'energetic']));
try {
const response = await fetch('https://your-domain.com/api/v1/voice-clone', {
method: 'POST',
headers: {
'Authorization': 'Bearer YOUR_API_KEY'
},
body: formData
});
const data = await response.json();
if (response.ok) {
console.log('Voice cloned successfully!');
console.log('Voice ID:', data.voiceId);
console.log('Audio URL:', data.voice.audioUrl);
} else {
console.error('Error:', data.error);
if (data.code === 'USAGE_LIMIT_EXCEEDED') {
console.log(`Need ${data.needCredits} credits, have ${data.credits}`);
}
}
} catch (error) {
console.error('Network error:', error);
}
}
async function getVoices(page = 1, limit = 20) {
try {
const response = await fetch(
`https://your-domain.com/api/v1/voices?page=${page}&limit=${limit}&status=COMPLETED&sortBy=createdAt&sortOrder=desc`,
{
method: 'GET',
headers: {
'Authorization': 'Bearer YOUR_API_KEY'
}
}
);
const data = await response.json();
if (response.ok) {
console.log('Total voices:', data.pagination.total);
console.log('Voices:', data.voices);
data.voices.forEach(voice => {
console.log(`- ${voice.title} (${voice.status}), Usage: ${voice.usageCount} times`);
});
} else {
console.error('Error:', data.error);
}
} catch (error) {
console.error('Network error:', error);
}
}
async function generateSpeech() {
try {
const response = await fetch('https://your-domain.com/api/v1/tts', {
method: 'POST',
headers: {
'Authorization': 'Bearer YOUR_API_KEY',
'Content-Type': 'application/json'
},
body: JSON.stringify({
text: 'Hello, this is a test speech.',
voiceId: 'clxxxx',
format: 'mp3'
})
});
const data = await response.json();
if (response.ok) {
console.log('Speech generated!');
console.log('Speech ID:', data.speechId);
console.log('Credits used:', data.creditsUsed);
console.log('Status:', data.speech.status); // PROCESSING
} else {
console.error('Error:', data.error);
}
} catch (error) {
console.error('Network error:', error);
}
}
async function checkSpeechStatus(speechId) {
try {
const response = await fetch(`https://your-domain.com/api/v1/tts/${speechId}`, {
method: 'GET',
headers: {
'Authorization': 'Bearer YOUR_API_KEY'
}
});
const data = await response.json();
if (response.ok) {
console.log('Status:', data.speech.status);
if (data.speech.status === 'COMPLETED') {
console.log('Audio URL:', data.speech.audioUrl);
console.log('Duration:', data.speech.duration);
}
} else {
console.error('Error:', data.error);
}
} catch (error) {
console.error('Network error:', error);
}
}
async function getCreditsBalance() {
try {
const response = await fetch('https://your-domain.com/api/v1/credits', {
method: 'GET',
headers: {
'Authorization': 'Bearer YOUR_API_KEY'
}
});
const data = await response.json();
if (response.ok) {
console.log('Total credits:', data.credits);
console.log('Regular credits:', data.breakdown.regular);
console.log('Permanent credits:', data.breakdown.permanent);
console.log('Reset at:', data.breakdown.resetAt);
} else {
console.error('Error:', data.error);
}
} catch (error) {
console.error('Network error:', error);
}
}
async function checkCreditsAndCloneVoice(audioFile) {
// Check if you have enough credits (1000 for voice clone)
const balance = await fetch('/api/user/credits', {
headers: { 'Authorization': 'Bearer YOUR_API_KEY' }
});
const { credits } = await balance.json();
if (credits < 1000) {
console.error('Insufficient credits. Need 1000, have', credits);
return;
}
// Proceed with voice cloning
const formData = new FormData();
formData.append('voice', audioFile);
const response = await fetch('/api/v1/voice-clone', {
method: 'POST',
headers: { 'Authorization': 'Bearer YOUR_API_KEY' },
body: formData
});
return response.json();
}
function calculateTTSCredits(text) {
return new TextEncoder().encode(text).length;
}
async function generateSpeechSafely(text, voiceId) {
const requiredCredits = calculateTTSCredits(text);
console.log(`This request will cost ${requiredCredits} credits`);
// Make the request
const response = await fetch('/api/v1/tts', {
method: 'POST',
headers: {
'Authorization': 'Bearer YOUR_API_KEY',
'Content-Type': 'application/json'
},
body: JSON.stringify({ text, voiceId })
});
return response.json();
}
async function generateAndWaitForSpeech(text, voiceId) {
// Create TTS request
const createResponse = await fetch('/api/v1/tts', {
method: 'POST',
headers: {
'Authorization': 'Bearer YOUR_API_KEY',
'Content-Type': 'application/json'
},
body: JSON.stringify({ text, voiceId })
});
const { speechId } = await createResponse.json();
// Poll for completion
let attempts = 0;
const maxAttempts = 30;
while (attempts < maxAttempts) {
const statusResponse = await fetch(`/api/v1/tts/${speechId}`, {
headers: { 'Authorization': 'Bearer YOUR_API_KEY' }
});
const data = await statusResponse.json();
if (data.speech.status === 'COMPLETED') {
console.log('Audio ready:', data.speech.audioUrl);
return data.speech;
} else if (data.speech.status === 'FAILED') {
throw new Error('Speech generation failed');
}
// Wait 3 seconds before next check
await new Promise(resolve => setTimeout(resolve, 3000));
attempts++;
}
throw new Error('Timeout waiting for speech generation');
}
async function makeRequestWithRetry(url, options, maxRetries = 3) {
for (let i = 0; i < maxRetries; i++) {
const response = await fetch(url, options);
if (response.status === 429) {
const resetTime = response.headers.get('X-RateLimit-Reset');
const waitTime = resetTime
? Math.max(1000, (parseInt(resetTime) * 1000) - Date.now())
: 1000 * Math.pow(2, i); // Exponential backoff
console.log(`Rate limited. Waiting ${waitTime}ms...`);
await new Promise(resolve => setTimeout(resolve, waitTime));
continue;
}
return response;
}
throw new Error('Max retries exceeded');
}
"""

# Calls the functions above the way a page would (the harness, not part of the spec).
JS_HARNESS = """
const fs = require('fs');
(async () => {
  const bytes = fs.readFileSync(process.env.SAMPLE);
  const audioFile = new File([bytes], 'voice.mp3', { type: 'audio/mpeg' });
  await cloneVoice(audioFile);
  await getVoices(1, 20);
  await generateSpeech();
  await checkSpeechStatus(process.env.SPEECH_ID);
  await getCreditsBalance();
  const cloned = await checkCreditsAndCloneVoice(audioFile);
  console.log('Best practice 1 voiceId:', cloned.voiceId);
  const safely = await generateSpeechSafely('你好, world', process.env.VOICE_ID);
  console.log('Best practice 2:', JSON.stringify(safely));
  const speech = await generateAndWaitForSpeech('Hello from the poller.', process.env.VOICE_ID);
  console.log('Best practice 3 status:', speech.status, speech.duration);
  const auth = { headers: { 'Authorization': 'Bearer YOUR_API_KEY' } };
  const r = await makeRequestWithRetry('https://your-domain.com/api/v1/credits', auth);
  console.log('Best practice 4 status:', r.status, r.headers.get('X-RateLimit-Limit'));
})();
"""


@dataclass
class Live:
    root: str
    key: str
    sample: Path
    workdir: Path

    @property
    def base(self) -> str:
        return self.root + "/compat/voiceclone/api/v1"

    def adapt(self, source: str, **ids: str) -> str:
        out = (
            source.replace(SPEC_BASE, self.base)
            .replace("'/api/user/credits'", f"'{self.base}/credits'")
            .replace("'/api/v1/", f"'{self.base}/")
            .replace("`/api/v1/", f"`{self.base}/")
            .replace("YOUR_API_KEY", self.key)
            .replace("/path/to/voice.mp3", str(self.sample))
        )
        for placeholder, value in ids.items():
            out = out.replace(placeholder, value)
        return out

    def python(self, source: str, **ids: str) -> str:
        return self._run([sys.executable, "-c", self.adapt(source, **ids)])

    def curl(self, source: str, **ids: str) -> str:
        command = self.adapt(source, **ids).rstrip() + " -sS --fail-with-body"
        return self._run(["bash", "-c", command])

    def _run(self, argv: list[str], env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            argv,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
            env={**os.environ, "NO_PROXY": "127.0.0.1", **(env or {})},
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Error" not in done.stdout + done.stderr, done.stdout + done.stderr
        return done.stdout


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp = tmp_path_factory.mktemp("voiceclone-live")
    env = {"SEESAY_DATA_DIR": str(tmp / "data"), **CLONE_ENV}
    made = run_cli("keys", "create", "--plan", "paid", "--credits", "10000", env=env)
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip().splitlines()[-1]
    port = free_port()
    with spawn("serve", "--port", str(port), env=env, log=tmp / "serve.log") as proc:
        root = f"http://127.0.0.1:{port}"
        wait_until_ready(root + "/healthz", timeout=60, proc=proc)
        # The sample: a bundled voice, through the server's own speech route.
        spoken = httpx.post(
            root + "/v1/speech", json={"text": SAMPLE_TEXT}, headers={"X-API-Key": key}, timeout=120
        )
        assert spoken.status_code == 200, spoken.text
        sample = tmp / "voice.mp3"
        sample.write_bytes(httpx.get(spoken.json()["audio_url"]).content)
        work = tmp / "client"
        work.mkdir()
        yield Live(root, key, sample, work)


def _found(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match, text
    return match.group(1)


def test_python_examples(live: Live) -> None:
    out = live.python(CLONE_PY)
    assert "Voice cloned successfully!" in out
    voice_id = _found(r"Voice ID: (cl[a-z0-9]+)", out)
    assert httpx.get(_found(r"Audio URL: (\S+)", out)).content == live.sample.read_bytes()
    listed = live.python(VOICES_PY)
    assert "- My Voice Clone (COMPLETED), Usage: 0 times" in listed
    queued = live.python(TTS_PY, clxxxx=voice_id)
    assert "Credits used: 29" in queued
    assert "Status: PROCESSING" in queued
    speech_id = _found(r"Speech ID: (\S+)", queued)
    for _ in range(120):
        status = live.python(STATUS_PY, clxxxx=speech_id)
        if "Status: PROCESSING" not in status:
            break
    assert "Status: COMPLETED" in status
    audio = httpx.get(_found(r"Audio URL: (\S+)", status)).content
    assert audio[:3] == b"ID3" or audio[0] == 0xFF
    assert float(_found(r"Duration: ([0-9.]+)", status)) > 0.5
    credits = live.python(CREDITS_PY)
    assert "Total credits:" in credits
    assert "Permanent credits:" in credits
    assert "Usage: 1 times" in live.python(VOICES_PY)


def test_curl_examples(live: Live) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    basic = live.curl(CURL_CLONE_BASIC)
    voice_id = _found(r'"voiceId":"(cl[a-z0-9]+)"', basic)
    meta = live.curl(CURL_CLONE_METADATA)
    assert '"coverImage":"https://example.com/cover.jpg"' in meta
    assert '"tags":["male","young","energetic"]' in meta
    assert voice_id in live.curl(CURL_VOICES)
    queued = live.curl(CURL_TTS, clxxxx=voice_id)
    speech_id = _found(r'"speechId":"([^"]+)"', queued)
    for _ in range(120):
        status = live.curl(CURL_STATUS, clxxxx=speech_id)
        if '"status":"PROCESSING"' not in status:
            break
    assert '"status":"COMPLETED"' in status
    assert '"success":true' in live.curl(CURL_CREDITS)


def test_javascript_examples(live: Live) -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    first = live.python(CLONE_PY)
    voice_id = _found(r"Voice ID: (cl[a-z0-9]+)", first)
    queued = live.python(TTS_PY, clxxxx=voice_id)
    speech_id = _found(r"Speech ID: (\S+)", queued)
    script = live.workdir / "examples.js"
    script.write_text(live.adapt(JS_EXAMPLES, clxxxx=voice_id) + live.adapt(JS_HARNESS))
    out = live._run(
        ["node", str(script)],
        env={"SAMPLE": str(live.sample), "SPEECH_ID": speech_id, "VOICE_ID": voice_id},
    )
    assert "Voice cloned successfully!" in out
    assert "Total voices:" in out
    assert "Speech generated!" in out
    assert "Credits used: 29" in out
    assert "Reset at:" in out
    assert re.search(r"Best practice 1 voiceId: cl[a-z0-9]+", out), out
    assert "This request will cost 13 credits" in out  # 你好 is 6 bytes, ", world" 7 more
    assert '"creditsUsed":13' in out
    assert "Audio ready: http" in out
    assert "Best practice 3 status: COMPLETED" in out
    assert "Best practice 4 status: 200 200" in out


def test_node_axios_example(live: Live) -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    if not (NODE_MODULES / "axios").is_dir() or not (NODE_MODULES / "form-data").is_dir():
        pytest.skip("axios and form-data are not installed (scripts/ensure-js-packages.sh)")
    script = live.workdir / "clone-axios.js"
    script.write_text(live.adapt(CLONE_AXIOS_JS))
    out = live._run(["node", str(script)], env={"NODE_PATH": str(NODE_MODULES)})
    assert "Voice cloned successfully!" in out
    voice_id = _found(r"Voice ID: (cl[a-z0-9]+)", out)
    voices = httpx.get(
        f"{live.base}/voices?limit=100", headers={"Authorization": f"Bearer {live.key}"}
    )
    mine = next(v for v in voices.json()["voices"] if v["id"] == voice_id)
    assert mine["tags"] == ["male", "energetic"]
    assert mine["description"] == "A custom voice"
