"""Build small Word (.docx) and OpenDocument (.odt) files for the tests, by hand.

A chapter is a list of blocks: a str is a paragraph of plain text; a list is a
paragraph of runs, each a str or a (kind, text) pair with kind "i" or "b", or
("a", text, href) for a link; ("h", text) is a heading; ("image",) a picture.
"""

import io
import re
import zipfile
from xml.sax.saxutils import escape, quoteattr

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def chapter_blocks(text):
    """Return the blocks of a plain-text chapter as an author would type it in a
    word processor: a paragraph per blank-line gap, and an empty paragraph for
    each further blank line (a scene break)."""
    blocks = []
    pieces = re.split(r"(\n[ \t]*(?:\n[ \t]*)+)", text.strip())
    for number, piece in enumerate(pieces):
        if number % 2:
            blocks.extend([""] * (piece.count("\n") - 2))
        elif piece.strip():
            blocks.append(" ".join(piece.split()))
    return blocks


def _runs(block):
    return [block] if isinstance(block, str) else block


def _zip(parts, *, first_stored=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first_stored:
            name, data = first_stored
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_docx(blocks, *, extra_parts=None):
    """Return the bytes of a minimal valid .docx holding the blocks."""
    links = []
    body = []
    for block in blocks:
        if isinstance(block, tuple) and block[0] == "h":
            body.append(
                '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'
                f"<w:r><w:t>{escape(block[1])}</w:t></w:r></w:p>"
            )
            continue
        if isinstance(block, tuple) and block[0] == "image":
            body.append(
                "<w:p><w:r><w:drawing><wp:inline>"
                '<wp:extent cx="9525" cy="9525"/><wp:docPr id="1" name="Picture 1"/>'
                '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/'
                'drawingml/2006/picture"><pic:pic><pic:blipFill>'
                '<a:blip r:embed="rIdImage"/></pic:blipFill></pic:pic>'
                "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
            )
            continue
        runs = []
        for run in _runs(block):
            if isinstance(run, str):
                runs.append(f'<w:r><w:t xml:space="preserve">{escape(run)}</w:t></w:r>')
            elif run[0] == "a":
                links.append(run[2])
                runs.append(
                    f'<w:hyperlink r:id="rIdLink{len(links)}"><w:r>'
                    f'<w:t xml:space="preserve">{escape(run[1])}</w:t></w:r>'
                    "</w:hyperlink>"
                )
            else:
                mark = {"i": "<w:i/>", "b": "<w:b/>"}[run[0]]
                runs.append(
                    f"<w:r><w:rPr>{mark}</w:rPr>"
                    f'<w:t xml:space="preserve">{escape(run[1])}</w:t></w:r>'
                )
        body.append(f"<w:p>{''.join(runs)}</w:p>")
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
        'wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f"<w:body>{''.join(body)}</w:body></w:document>"
    )
    relationships = [
        '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/styles" Target="styles.xml"/>',
        '<Relationship Id="rIdImage" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/image" Target="media/image1.png"/>',
    ]
    for number, href in enumerate(links, start=1):
        relationships.append(
            f'<Relationship Id="rIdLink{number}" Type="http://schemas.openxmlformats'
            '.org/officeDocument/2006/relationships/hyperlink" '
            f'Target={quoteattr(href)} TargetMode="External"/>'
        )
    rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="png" ContentType="image/png"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/word/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{rels_ns}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/_rels/document.xml.rels": (
            f'<Relationships xmlns="{rels_ns}">{"".join(relationships)}</Relationships>'
        ),
        "word/document.xml": document,
        "word/styles.xml": (
            f'<w:styles xmlns:w="{W_NS}">'
            '<w:style w:type="paragraph" w:styleId="Heading1">'
            '<w:name w:val="heading 1"/></w:style></w:styles>'
        ),
        "word/media/image1.png": PNG,
        **(extra_parts or {}),
    }
    return _zip(parts)


ODF = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
}


def make_odt(blocks, *, mimetype="application/vnd.oasis.opendocument.text"):
    """Return the bytes of a minimal valid .odt holding the blocks."""
    body = []
    for block in blocks:
        if isinstance(block, tuple) and block[0] == "h":
            body.append(f'<text:h text:outline-level="1">{escape(block[1])}</text:h>')
            continue
        if isinstance(block, tuple) and block[0] == "image":
            body.append(
                '<text:p><draw:frame draw:name="Image1" svg:width="1cm" '
                'svg:height="1cm"><draw:image xlink:href="Pictures/1.png"/>'
                "</draw:frame></text:p>"
            )
            continue
        runs = []
        for run in _runs(block):
            if isinstance(run, str):
                runs.append(escape(run))
            elif run[0] == "a":
                runs.append(
                    f'<text:a xlink:type="simple" xlink:href={quoteattr(run[2])}>'
                    f"{escape(run[1])}</text:a>"
                )
            else:
                style = {"i": "T1", "b": "T2"}[run[0]]
                runs.append(
                    f'<text:span text:style-name="{style}">{escape(run[1])}</text:span>'
                )
        body.append(f"<text:p>{''.join(runs)}</text:p>")
    namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in ODF.items())
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content {namespaces} office:version="1.3">'
        "<office:automatic-styles>"
        '<style:style style:name="T1" style:family="text">'
        '<style:text-properties fo:font-style="italic"/></style:style>'
        '<style:style style:name="T2" style:family="text">'
        '<style:text-properties fo:font-weight="bold"/></style:style>'
        "</office:automatic-styles>"
        f"<office:body><office:text>{''.join(body)}</office:text></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
        'xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        f'"{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    return _zip(
        {
            "content.xml": content,
            "META-INF/manifest.xml": manifest,
            "Pictures/1.png": PNG,
        },
        first_stored=("mimetype", mimetype),
    )
