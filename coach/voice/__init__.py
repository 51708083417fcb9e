"""Hearing the candidate: a spoken take recorded or read from a file, transcribed (locally by faster-whisper or by an
OpenAI-compatible endpoint) and compared with their own script and material.

    transcript.py   what a transcriber heard: words with their timings and how sure it was of each
    audio.py        the audio files coach takes, their length, the prompt that keeps filler words
    transcribe.py   which transcriber: the local model or an endpoint, from the environment
    cleanup.py      what a transcriber makes up at the ends of a take, a figure it splits in two
    local.py        faster-whisper on this machine (the optional extra `coach[voice]`)
    endpoint.py     /v1/audio/transcriptions on OpenAI or any compatible server
    record.py       the microphone: a take recorded until Enter, with a timer and a level meter
    hearing.py      what a take says: seconds, pace, pauses, fillers, the script said or skipped, facts not in material
    align.py        the script's words aligned with the words heard, tolerant of a small model's mistakes
    sounds.py       words as tokens, a phonetic key, how alike two words sound
    fillers.py      filler words in context ("like" as a filler, not in "like I'd do")
    facts.py        the fact guard on speech: numbers and names said that the material lacks, sound-alikes passed
    listen.py       the hook that opened the take, the key words that landed, stretches the transcriber lost

Imports run downward: voice uses `bank` and `method`, never `cli` or `display`; nothing here imports faster-whisper,
sounddevice or httpx until a take is transcribed or recorded.
"""
