import subprocess
import tempfile


def pdf_text(content: bytes, *, raw=False) -> str:
    """The text of a PDF as poppler reads it back, without its whitespace. `raw`: in the order
    it is drawn (pdftotext -raw), which keeps rotated text such as a watermark in one piece."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        text = subprocess.run(
            ["pdftotext", *(["-raw"] if raw else []), pdf.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return "".join(text.split())
