import subprocess
import tempfile


def pdf_text(content: bytes) -> str:
    """The text of a PDF as poppler reads it back, without its whitespace."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        text = subprocess.run(
            ["pdftotext", pdf.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    return "".join(text.split())
