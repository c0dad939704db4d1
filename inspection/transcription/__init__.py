"""Call audio → role-labelled utterances with faster-whisper, fully offline.

Importing this package does not import faster-whisper or torch: the model loads in
`load_transcriber()`, once, and the `Transcriber` it returns is passed to whoever needs it.
"""

from inspection.transcription.audio import AUDIO_EXTENSIONS, decode_audio
from inspection.transcription.model import TranscriberOptions
from inspection.transcription.roles import RoleHeuristic
from inspection.transcription.transcribe import Transcriber, load_transcriber

__all__ = [
    "AUDIO_EXTENSIONS",
    "RoleHeuristic",
    "Transcriber",
    "TranscriberOptions",
    "decode_audio",
    "load_transcriber",
]
