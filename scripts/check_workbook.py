#!/usr/bin/env python3
"""Opens a compliance workbook in LibreOffice and checks what a compliance officer will see.

Used by scripts/check-workbook (which runs the demo night first); python3 standard library
plus LibreOffice's own Python bridge (Debian python3-uno), no pip packages.

  check_workbook.py [--template templates/workbook.xml] WORKBOOK.xlsx
      LibreOffice converts the workbook to OpenDocument (`soffice --headless --convert-to ods`,
      a private profile); the conversion must succeed. The .ods XML is then read back:
        - sheet names in the contract's order (interface.md §4), continuation sheets
          "<name> (2)", "<name> (3)" ... right after their sheet;
        - each listing sheet's header row is the template's headers, and an autofilter
          (filter buttons) covers exactly the header and all data rows; the tables below the
          Payments sheet's claims (after a blank row: the A/R by facility, the provider-level
          adjustments) each have the template's header row and its formats;
        - every cell of a date column is a real date (value type date, a date format), every
          cell of a money column is currency (a currency format, shown with "$"), every cell
          of an integer column a number; the Summary's dates and total charges likewise;
        - conditional formatting on Credentials "Days to expiry" and, when it has rows,
          Findings "Severity";
        - every sheet's print setup as LibreOffice reads it (interface.md §4): landscape, a
          footer naming 42 CFR Part 2 with the page number, the header row repeated on each
          page, and one page wide: scaled to fit the width, or (the Summary, which breaks
          between its sections and so is not scaled) its columns within the printed width.
      Before that, every XML part of the .xlsx (each sheet's among them) must be well-formed.
      Frozen panes do not survive a headless conversion (LibreOffice has no view to save), so
      the workbook is also opened through LibreOffice's UNO API, which reports for each sheet
      whether its panes are frozen: every listing sheet must have its header row frozen.

  check_workbook.py --xml-only WORKBOOK.xlsx
      Without LibreOffice: every XML part of the workbook (each sheet, shared strings, styles,
      relationships) is parsed with expat, which refuses bytes that are not UTF-8 and
      characters XML 1.0 does not allow. Exit 0 when every part is well-formed.

  check_workbook.py --self-test [--template ...] WORKBOOK.xlsx
      Proves the check can fail: the workbook must pass, and broken copies of it (a renamed
      sheet, sheets out of order, no frozen header, no autofilter, dates without a date format,
      money without a currency format, a sheet printed portrait, a sheet without the Part 2
      footer, a header row not repeated, a wide sheet not fit to the page, a sheet whose XML is
      cut short, a file that is not a workbook, and, when Payments has them, a table below its
      claims with another header) must each be rejected with the expected message.

Exit status 0 when every check passed, 1 otherwise (each failure printed as "FAIL: ...").
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile

CONTRACT_SHEETS = ["Summary", "Work", "Claims", "Payments", "Held", "Findings", "Credentials", "Rejected",
                   "Audit", "Reference"]
PART2_WORDS = "42 CFR part 2"  # the footer's notice names the rule (42 CFR 2.32(a))

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}


def q(prefix, name):
    return "{%s}%s" % (NS[prefix], name)


class Failures:
    def __init__(self):
        self.items = []

    def add(self, msg):
        self.items.append(msg)


# ---- the template: which columns hold dates, money, integers ---------------------------------
def load_template(path):
    """({sheet name: [(header, format), ...]} for the listing sheets of templates/workbook.xml,
    {sheet name: [[(header, format), ...] per table below its rows]}: the Payments sheet's
    <receivables> (its <band>s are money columns) and <provider-adjustments>)."""
    root = ET.parse(path).getroot()
    sheets, tables = {}, {}
    for sheet in root.findall("sheet"):
        if sheet.get("rows") == "summary":
            continue
        sheets[sheet.get("name")] = [(c.get("header"), c.get("format", "text"))
                                     for c in sheet.findall("column")]
        for tag in ("receivables", "provider-adjustments"):
            t = sheet.find(tag)
            if t is not None:
                tables.setdefault(sheet.get("name"), []).append(
                    [(c.get("header"), c.get("format", "text")) if c.tag == "column" else (c.get("label"), "money")
                     for c in t if c.tag in ("column", "band")])
    return sheets, tables


def split_tables(rows):
    """A listing's rows up to its first blank row, and the tables below them: [(title, header
    row, data rows)] (each table a title row, its header row, its rows up to the next blank)."""
    cut = rows.index([]) if [] in rows else len(rows)
    listing, rest, tables = rows[:cut], rows[cut:], []
    while rest:
        while rest and not rest[0]:
            rest = rest[1:]
        if not rest:
            break
        end = rest.index([]) if [] in rest else len(rest)
        block, rest = rest[:end], rest[end:]
        tables.append((block[0], block[1] if len(block) > 1 else [], block[2:]))
    return listing, tables


# ---- LibreOffice ------------------------------------------------------------------------------
def find_soffice():
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise SystemExit("check-workbook: LibreOffice (soffice) is not installed: "
                         "apt-get install --no-install-recommends libreoffice-calc python3-uno")
    return exe


def convert_to_ods(soffice, xlsx, outdir, profile):
    """Runs the headless conversion; returns (path of the .ods or None, error text)."""
    cmd = [soffice, "--headless", "--norestore", "-env:UserInstallation=" + file_url(profile),
           "--convert-to", "ods", "--outdir", outdir, xlsx]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired:
        return None, "soffice --convert-to ods did not finish in 180 s"
    out = os.path.join(outdir, os.path.splitext(os.path.basename(xlsx))[0] + ".ods")
    errors = [l for l in (run.stdout + run.stderr).splitlines() if l.startswith("Error")]
    if run.returncode != 0 or errors or not os.path.exists(out) or os.path.getsize(out) == 0:
        detail = "; ".join(errors) or "exit status %d, no .ods written" % run.returncode
        return None, "LibreOffice could not convert the workbook: " + detail
    return out, ""


def file_url(path):
    return "file://" + os.path.abspath(path).replace(" ", "%20")


class Office:
    """One LibreOffice process listening on a private pipe, driven through UNO (python3-uno)."""

    def __init__(self, soffice, profile):
        try:
            import uno  # noqa: F401  (Debian python3-uno; only /usr/bin/python3 has it)
        except ImportError:
            raise SystemExit("check-workbook: python3-uno is missing (apt-get install "
                             "--no-install-recommends python3-uno), needed to read frozen panes")
        import uno
        self.uno = uno
        self.pipe = "otpcheck%d" % os.getpid()
        self.proc = subprocess.Popen(
            [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
             "-env:UserInstallation=" + file_url(profile),
             "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % self.pipe],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.time() + 120
        while True:
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % self.pipe)
                break
            except Exception:
                if time.time() > deadline or self.proc.poll() is not None:
                    self.close()
                    raise SystemExit("check-workbook: could not start LibreOffice for UNO")
                time.sleep(0.3)
        self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)

    def _prop(self, name, value):
        from com.sun.star.beans import PropertyValue
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    def frozen_panes(self, xlsx):
        """{sheet name: (frozen?, split row, split column)}, or None if it would not open."""
        try:
            doc = self.desktop.loadComponentFromURL(
                self.uno.systemPathToFileUrl(os.path.abspath(xlsx)), "_blank", 0,
                (self._prop("Hidden", True), self._prop("ReadOnly", True)))
        except Exception:
            return None
        if doc is None:
            return None
        try:
            ctl = doc.getCurrentController()
            panes = {}
            for sheet in doc.Sheets:
                ctl.setActiveSheet(sheet)
                panes[sheet.Name] = (bool(ctl.hasFrozenPanes()), ctl.getSplitRow(), ctl.getSplitColumn())
            return panes
        finally:
            doc.close(True)

    def close(self):
        try:
            self.desktop.terminate()
        except Exception:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the group this script started
            self.proc.wait()


# ---- reading the .ods back -------------------------------------------------------------------
class Cell:
    __slots__ = ("vtype", "style", "text")

    def __init__(self, vtype, style, text):
        self.vtype, self.style, self.text = vtype, style, text


def read_sheets(content_root):
    """[(name, rows)], rows a list of lists of Cell with repeats expanded (trailing blanks cut)."""
    sheets = []
    body = content_root.find(q("office", "body")).find(q("office", "spreadsheet"))
    for table in body.findall(q("table", "table")):
        default_styles = []
        for col in table.iter(q("table", "table-column")):
            n = int(col.get(q("table", "number-columns-repeated"), "1"))
            default_styles.extend([col.get(q("table", "default-cell-style-name"))] * min(n, 256))
        rows = []
        for row in table.iter(q("table", "table-row")):
            cells = []
            for c in row:
                if c.tag not in (q("table", "table-cell"), q("table", "covered-table-cell")):
                    continue
                n = int(c.get(q("table", "number-columns-repeated"), "1"))
                text = "\n".join("".join(p.itertext()) for p in c.findall(q("text", "p")))
                vtype = c.get(q("office", "value-type"))
                style = c.get(q("table", "style-name"))
                for _ in range(min(n, 256)):
                    i = len(cells)
                    cells.append(Cell(vtype, style or (default_styles[i] if i < len(default_styles) else None), text))
            while cells and cells[-1].vtype is None and not cells[-1].text:
                cells.pop()
            n = int(row.get(q("table", "number-rows-repeated"), "1"))
            if not cells:
                rows.extend([[]] * min(n, 2))  # blank rows: their count does not matter past the data
            else:
                rows.extend([cells] * n)
        while rows and not rows[-1]:
            rows.pop()
        sheets.append((table.get(q("table", "name")), rows))
    return sheets


def data_styles(*roots):
    """{cell style name: kind of its number format: date | currency | percentage | number | None}
    and the currency symbols named by each currency format."""
    kinds = {}
    for root in roots:
        for tag, kind in (("date-style", "date"), ("currency-style", "currency"),
                          ("percentage-style", "percentage"), ("number-style", "number"),
                          ("time-style", "time"), ("text-style", "text")):
            for el in root.iter(q("number", tag)):
                kinds[el.get(q("style", "name"))] = kind
    cell_styles = {}
    for root in roots:
        for st in root.iter(q("style", "style")):
            if st.get(q("style", "family")) == "table-cell":
                ds = st.get(q("style", "data-style-name"))
                cell_styles[st.get(q("style", "name"))] = kinds.get(ds) if ds else None
    return cell_styles


def parse_range(address):
    """'Claims.A1:Claims.H1090' or "'Claims (2)'.A1:'Claims (2)'.H9" -> (sheet, c1, r1, c2, r2)."""
    m = re.match(r"^\$?'?(.*?)'?\.\$?([A-Z]+)\$?(\d+):\$?'?(.*?)'?\.\$?([A-Z]+)\$?(\d+)$", address)
    if not m:
        return None
    col = lambda s: sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(s)))
    return m.group(1), col(m.group(2)), int(m.group(3)), col(m.group(5)), int(m.group(6))


def base_name(name):
    m = re.match(r"^(.*) \((\d+)\)$", name)
    return (m.group(1), int(m.group(2))) if m else (name, 1)


def check_sheet_order(names, fail):
    bases, prev = [], None
    for name in names:
        base, part = base_name(name)
        if part > 1:
            if prev is None or prev != (base, part - 1):
                fail.add("sheet names: %r is not the continuation right after %r (%s)"
                         % (name, "%s (%d)" % (base, part - 1) if part > 2 else base, names))
                return
        else:
            bases.append(name)
        prev = (base, part)
    if bases != CONTRACT_SHEETS:
        fail.add("sheet names: expected %s in this order, LibreOffice shows %s"
                 % (", ".join(CONTRACT_SHEETS), ", ".join(names)))


def check_tables(name, found, want, expect, fail, stats):
    """The tables below a listing's rows (the Payments sheet's A/R): the template's, in order,
    each under a title with the template's headers and its cells in the columns' formats."""
    if len(found) != len(want):
        fail.add("%s: %d table(s) below the rows, the template has %d" % (name, len(found), len(want)))
        return
    for (title, header, body), columns in zip(found, want):
        headers = [c.text for c in header]
        if headers != [h for h, _ in columns]:
            fail.add("%s: the table %r has the header %s, the template says %s"
                     % (name, title[0].text[:40] if title else "", headers, [h for h, _ in columns]))
            continue
        stats["tables"] += 1
        for i, row in enumerate(body):
            for c, (header_text, fmt) in enumerate(columns):
                if c < len(row) and row[c].vtype:
                    expect(row[c], fmt, "%s table %r row %d %r" % (name, title[0].text[:30], i + 1, header_text))


def check_ods(ods, template, fail, stats):
    template, table_specs = template
    with zipfile.ZipFile(ods) as z:
        content = ET.fromstring(z.read("content.xml"))
        styles = ET.fromstring(z.read("styles.xml"))
    kinds = data_styles(content, styles)
    sheets = read_sheets(content)
    names = [n for n, _ in sheets]
    check_sheet_order(names, fail)
    check_print(content, styles, sheets, fail, stats)

    filters = {}
    for dr in content.iter(q("table", "database-range")):
        r = parse_range(dr.get(q("table", "target-range-address"), ""))
        if r and dr.get(q("table", "display-filter-buttons")) == "true":
            filters[r[0]] = r
    cond = {}
    for cf in content.iter(q("calcext", "conditional-format")):
        for part in cf.get(q("calcext", "target-range-address"), "").split():
            r = parse_range(part) if ":" in part else None
            if r:
                cond.setdefault(r[0], []).append(r)

    def kind(cell):
        return kinds.get(cell.style)

    def expect(cell, fmt, where):
        if fmt == "date":
            stats["date"] += 1
            if cell.vtype != "date" or kind(cell) != "date":
                fail.add("%s: %r is not a real date with a date format (value type %s, format %s)"
                         % (where, cell.text, cell.vtype, kind(cell)))
        elif fmt == "money":
            stats["money"] += 1
            if cell.vtype != "currency" or kind(cell) != "currency" or "$" not in cell.text:
                fail.add("%s: %r is not currency with a currency format (value type %s, format %s)"
                         % (where, cell.text, cell.vtype, kind(cell)))
        elif fmt == "integer":  # a number, or "open" (a credential that never expires)
            if cell.vtype != "float" and not (cell.vtype == "string" and cell.text == "open"):
                fail.add("%s: %r is not a number (value type %s)" % (where, cell.text, cell.vtype))

    for name, rows in sheets:
        base, _ = base_name(name)
        if base == "Summary":
            for row in rows:
                if len(row) < 2 or not row[0].text:
                    continue
                label = row[0].text
                if label in ("As of", "Period from", "Period to"):
                    expect(row[1], "date", "Summary %r" % label)
                elif label == "Total charges":
                    expect(row[1], "money", "Summary %r" % label)
            continue
        columns = template.get(base)
        if columns is None:
            continue  # an unexpected sheet: already reported by the order check
        stats["sheets"] += 1
        rows, tables = split_tables(rows) if base in table_specs else (rows, [])
        if tables:
            check_tables(name, tables, table_specs[base], expect, fail, stats)
        headers = [c.text for c in rows[0]] if rows else []
        want = [h for h, _ in columns]
        if headers != want:
            fail.add("%s: header row is %s, the template says %s" % (name, headers, want))
            continue
        f = filters.get(name)
        if f is None:
            fail.add("%s: no autofilter on the header row" % name)
        elif (f[1], f[2], f[3], f[4]) != (1, 1, len(want), max(len(rows), 1)):
            fail.add("%s: the autofilter covers columns %d-%d rows %d-%d, not columns 1-%d rows 1-%d"
                     % (name, f[1], f[3], f[2], f[4], len(want), max(len(rows), 1)))
        else:
            stats["filters"] += 1
        for r, row in enumerate(rows[1:], start=2):
            stats["rows"] += 1
            for c, (header, fmt) in enumerate(columns):
                if c < len(row) and (row[c].vtype or row[c].text):
                    expect(row[c], fmt, "%s row %d %r" % (name, r, header))
            if len(fail.items) > 40:
                return
        # Conditional formatting the template asks for (highlight on a column with rows).
        for col_header in {"Credentials": ["Days to expiry"], "Findings": ["Severity"]}.get(base, []):
            if len(rows) < 2:
                continue
            c = want.index(col_header) + 1
            covered = any(r[1] <= c <= r[3] and r[2] <= 2 and r[4] >= len(rows) for r in cond.get(name, []))
            if not covered:
                fail.add("%s: no conditional formatting on %r rows 2-%d" % (name, col_header, len(rows)))
            else:
                stats["highlights"] += 1
    if stats["date"] == 0 or stats["money"] == 0:
        fail.add("the workbook has no date cells or no money cells to check")


# ---- print setup (interface.md §4) -----------------------------------------------------------
def inches(length):
    """'2.5217in', '6.4cm', '64mm', '180pt' -> inches (0 when unreadable)."""
    m = re.match(r"^([0-9.]+)(in|cm|mm|pt)$", length or "")
    if not m:
        return 0.0
    return float(m.group(1)) / {"in": 1, "cm": 2.54, "mm": 25.4, "pt": 72}[m.group(2)]


def page_styles(content, styles):
    """{table style name: (page layout properties, footer element)} as LibreOffice reads them."""
    layouts = {pl.get(q("style", "name")): pl.find(q("style", "page-layout-properties"))
               for pl in styles.iter(q("style", "page-layout"))}
    masters = {mp.get(q("style", "name")): (layouts.get(mp.get(q("style", "page-layout-name"))),
                                            mp.find(q("style", "footer")))
               for mp in styles.iter(q("style", "master-page"))}
    return {st.get(q("style", "name")): masters.get(st.get(q("style", "master-page-name")), (None, None))
            for st in content.iter(q("style", "style")) if st.get(q("style", "family")) == "table"}


def column_widths(content, table):
    """The width in inches of each of the table's first 256 columns."""
    widths = {}
    for st in content.iter(q("style", "style")):
        if st.get(q("style", "family")) == "table-column":
            props = st.find(q("style", "table-column-properties"))
            widths[st.get(q("style", "name"))] = inches(props.get(q("style", "column-width")) if props is not None else "")
    out = []
    for col in table.iter(q("table", "table-column")):
        n = int(col.get(q("table", "number-columns-repeated"), "1"))
        out.extend([widths.get(col.get(q("table", "style-name")), 0.0)] * min(n, 256 - len(out)))
    return out


def check_print(content, styles, sheets, fail, stats):
    """Every sheet: landscape, the Part 2 footer with page numbers, its header row repeated, and
    one page wide (scaled to fit, or its columns within the printed width)."""
    pages = page_styles(content, styles)
    used = {name: max((len(r) for r in rows), default=0) for name, rows in sheets}
    body = content.find(q("office", "body")).find(q("office", "spreadsheet"))
    for table in body.findall(q("table", "table")):
        name = table.get(q("table", "name"))
        props, footer = pages.get(table.get(q("table", "style-name")), (None, None))
        if props is None:
            fail.add("%s: LibreOffice finds no page style for it" % name)
            continue
        problems = []
        if props.get(q("style", "print-orientation")) != "landscape":
            problems.append("%s: prints portrait, not landscape" % name)
        words = " ".join("".join(footer.itertext()).split()).lower() if footer is not None else ""
        if PART2_WORDS.lower() not in words or footer.find(".//" + q("text", "page-number")) is None:
            problems.append("%s: no footer with the 42 CFR Part 2 words and the page number (footer: %r)"
                            % (name, words))
        if table.find(q("table", "table-header-rows")) is None:
            problems.append("%s: header row is not repeated on each printed page" % name)
        if props.get(q("style", "scale-to-X")) != "1":
            printable = (inches(props.get(q("fo", "page-width"))) - inches(props.get(q("fo", "margin-left")))
                         - inches(props.get(q("fo", "margin-right"))))
            wide = sum(column_widths(content, table)[:used.get(name, 0)])
            if wide > printable:
                problems.append("%s: does not print one page wide (columns %.1f in, page %.1f in, not scaled to fit)"
                                % (name, wide, printable))
        for m in problems:
            fail.add(m)
        stats["printed"] += not problems


def xml_parts(path):
    """Parses every XML part of the workbook: (the parts, [(part, error)] of those not well-formed)."""
    bad = []
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if n.endswith(".xml") or n.endswith(".rels")]
        for name in parts:
            try:
                ET.fromstring(z.read(name))
            except ET.ParseError as e:
                bad.append((name, e))
    return parts, bad


def check_xml_parts(xlsx, fail):
    """Every XML part of the .xlsx must be well-formed (a spreadsheet program may repair or
    refuse one that is not)."""
    try:
        _, bad = xml_parts(xlsx)
    except zipfile.BadZipFile:
        fail.add("%s is not a zip file, so not a workbook" % os.path.basename(xlsx))
        return
    for name, error in bad:
        fail.add("%s: not well-formed XML (%s)" % (name, error))


def check_panes(panes, template, fail, stats):
    if panes is None:
        fail.add("LibreOffice could not open the workbook through UNO")
        return
    for name, (frozen, row, col) in panes.items():
        if base_name(name)[0] not in template:
            continue
        if not frozen or row != 1 or col != 0:
            fail.add("%s: header row is not frozen (LibreOffice: frozen=%s at row %d, column %d)"
                     % (name, frozen, row, col))
        else:
            stats["frozen"] += 1


def check(xlsx, template, soffice, office, work):
    """All checks on one workbook; returns (failures, stats)."""
    fail = Failures()
    stats = dict(sheets=0, rows=0, date=0, money=0, filters=0, frozen=0, highlights=0, printed=0, tables=0)
    check_xml_parts(xlsx, fail)
    outdir = tempfile.mkdtemp(dir=work)
    ods, err = convert_to_ods(soffice, xlsx, outdir, os.path.join(work, "profile-convert"))
    if ods is None:
        fail.add(err)
        return fail.items, stats
    try:
        check_ods(ods, template, fail, stats)
    except (zipfile.BadZipFile, ET.ParseError, KeyError) as e:
        fail.add("the .ods LibreOffice wrote cannot be read back: %s" % e)
    check_panes(office.frozen_panes(xlsx), template[0], fail, stats)
    return fail.items, stats


# ---- broken copies for --self-test -----------------------------------------------------------
def rewrite(src, dst, edits):
    """Copies the .xlsx zip src to dst, applying {member: [(regex, replacement)]}."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            for pattern, repl in edits.get(info.filename, []):
                text, n = re.subn(pattern, repl, data.decode("utf-8"))
                if n == 0:
                    raise SystemExit("check-workbook self-test: %s has no %r to break" % (info.filename, pattern))
                data = text.encode("utf-8")
            zout.writestr(info, data)


def sheet_member(src, sheet):
    """The worksheet part of a sheet (sheetN.xml in libxlsxwriter's numbering) and its index."""
    with zipfile.ZipFile(src) as z:
        wb = z.read("xl/workbook.xml").decode("utf-8")
    names = re.findall(r'<sheet name="([^"]+)"', wb)
    return "xl/worksheets/sheet%d.xml" % (names.index(sheet) + 1), names.index(sheet)


def self_test(xlsx, template, soffice, office, work):
    claims, claims_index = sheet_member(xlsx, "Claims")
    held, _ = sheet_member(xlsx, "Held")
    reference, _ = sheet_member(xlsx, "Reference")
    cases = [
        ("a renamed sheet", {"xl/workbook.xml": [(r'<sheet name="Held"', '<sheet name="On hold"')]},
         "sheet names"),
        ("two sheets out of order", {"xl/workbook.xml": [(r'<sheet name="Held"', '<sheet name="TMP"'),
                                                         (r'<sheet name="Findings"', '<sheet name="Held"'),
                                                         (r'<sheet name="TMP"', '<sheet name="Findings"')]},
         "sheet names"),
        ("no frozen header on Claims", {claims: [(r"<pane [^>]*/>", ""), (r'<selection pane="bottomLeft"/>', "")]},
         "Claims: header row is not frozen"),
        ("no autofilter on Claims", {claims: [(r"<autoFilter [^>]*/>", "")],
                                     "xl/workbook.xml": [(r'<definedName name="_xlnm._FilterDatabase" localSheetId="%d"[^>]*>[^<]*</definedName>' % claims_index, "")]},
         "Claims: no autofilter"),
        ("dates without a date format", {"xl/styles.xml": [(r'formatCode="yyyy-mm-dd"', 'formatCode="0"')]},
         "is not a real date"),
        ("money without a currency format", {"xl/styles.xml": [(r'formatCode="\$#,##0.00"', 'formatCode="#,##0.00"')]},
         "is not currency"),
        ("Claims printed portrait", {claims: [(r'orientation="landscape"', 'orientation="portrait"')]},
         "Claims: prints portrait"),
        ("no Part 2 footer on Held", {held: [(r"<headerFooter>.*?</headerFooter>", "")]},
         "Held: no footer with the 42 CFR Part 2 words"),
        ("Claims header not repeated", {"xl/workbook.xml": [(r'<definedName name="_xlnm.Print_Titles" localSheetId="%d">[^<]*</definedName>' % claims_index, "")]},
         "Claims: header row is not repeated"),
        ("Claims not fit to the page", {claims: [(r'<pageSetUpPr fitToPage="1"/>', "")]},
         "Claims: does not print one page wide"),
        ("a sheet's XML cut short", {reference: [(r"</worksheet>\s*$", "")]},
         "not well-formed XML"),
    ]
    with zipfile.ZipFile(xlsx) as z:
        payments = z.read(sheet_member(xlsx, "Payments")[0]).decode("utf-8")
    if "<t>Payment trace</t>" in payments:  # a workbook with claims' accounts: its A/R table too
        cases.append(("an A/R table's header changed",
                      {sheet_member(xlsx, "Payments")[0]: [(r"<t>Payment trace</t>", "<t>Trace</t>")]},
                      "Payments: the table"))
    ok = True
    items, stats = check(xlsx, template, soffice, office, work)
    if items:
        print("check-workbook self-test: the unbroken workbook fails:", file=sys.stderr)
        for m in items:
            print("  FAIL: " + m, file=sys.stderr)
        return False
    for i, (what, edits, expected) in enumerate(cases):
        broken = os.path.join(work, "broken-%d.xlsx" % i)
        rewrite(xlsx, broken, edits)
        items, _ = check(broken, template, soffice, office, work)
        hit = [m for m in items if expected in m]
        print("check-workbook self-test: %-34s %s" % (what + ":", ("rejected: " + hit[0]) if hit else "NOT REJECTED"))
        ok &= bool(hit)
    broken = os.path.join(work, "not-a-workbook.xlsx")
    with open(xlsx, "rb") as f, open(broken, "wb") as g:
        g.write(f.read()[:2000])  # a truncated file
    items, _ = check(broken, template, soffice, office, work)
    hit = [m for m in items if "could not convert" in m or "could not open" in m]
    print("check-workbook self-test: %-34s %s" % ("a truncated file:", ("rejected: " + hit[0]) if hit else "NOT REJECTED"))
    ok &= bool(hit)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("workbook")
    ap.add_argument("--template", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                       "..", "templates", "workbook.xml"))
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--xml-only", action="store_true",
                    help="only parse every XML part (no LibreOffice needed)")
    args = ap.parse_args()
    if not os.path.isfile(args.workbook):
        raise SystemExit("check-workbook: no such workbook: " + args.workbook)
    if args.xml_only:
        parts, bad = xml_parts(args.workbook)
        for name, error in bad:
            print("check-workbook: FAIL: not well-formed: %s: %s" % (name, error), file=sys.stderr)
        if not bad:
            print("check-workbook: OK: %d XML parts of %s are well-formed" % (len(parts), args.workbook))
        return 1 if bad or not parts else 0
    template = load_template(args.template)
    soffice = find_soffice()
    work = tempfile.mkdtemp(prefix="check-workbook-")
    office = None
    try:
        office = Office(soffice, os.path.join(work, "profile-uno"))
        if args.self_test:
            ok = self_test(args.workbook, template, soffice, office, work)
            print("check-workbook self-test: %s" % ("every broken copy was rejected" if ok else "FAILED"))
            return 0 if ok else 1
        items, s = check(args.workbook, template, soffice, office, work)
        if items:
            for m in items:
                print("check-workbook: FAIL: " + m, file=sys.stderr)
            print("check-workbook: %d check(s) failed on %s" % (len(items), args.workbook), file=sys.stderr)
            return 1
        print("check-workbook: OK: LibreOffice opened and converted %s; every XML part well-formed; "
              "sheets in the contract order; %d sheets print landscape, one page wide, with the "
              "header row repeated and the Part 2 footer; %d listing sheets with the template's "
              "headers, %d with an autofilter over all rows, %d with a frozen header row; %d data "
              "rows; %d tables below a sheet's rows with the template's headers; %d date cells are "
              "dates, %d money cells are currency; %d highlighted columns"
              % (os.path.basename(args.workbook), s["printed"], s["sheets"], s["filters"], s["frozen"],
                 s["rows"], s["tables"], s["date"], s["money"], s["highlights"]))
        return 0
    finally:
        if office:
            office.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
