"""Services behind the WebVoice-compatible surface: email sign-in, mail, voice memos, inline
TTS priced per minute, voices by language, account views and media forwarding.

Only ``settings`` is imported eagerly (``seesay.settings`` needs it); ``WebVoiceServices``
lives in ``services.webvoice.bundle``.
"""
