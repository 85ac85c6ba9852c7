"""Codes of what the register's services say to an officer (see ``kervan.messages``)."""

from __future__ import annotations

from kervan.messages import N_

DOCUMENT_NOT_ACTIVE = "register.document-not-active"
EXTENSION_NOT_LATER = "register.extension-not-later"
END_NOT_AFTER_CURRENT = "register.end-not-after-current"
DOCUMENT_ENDS_BEFORE_START = "register.document-ends-before-start"
NUMBER_FORM = "register.number-form"
NUMBER_TAKEN = "register.number-taken"
TRAVEL_DOCUMENT_TAKEN = "register.travel-document-taken"
CORRECTION_CHANGES_NOTHING = "register.correction-changes-nothing"
SEARCH_EMPTY = "register.search-empty"
BIRTH_DATE = "register.birth-date"
NOT_FOUND = "register.not-found"
VIOLATION_ENDS_BEFORE_START = "register.violation-ends-before-start"
CANNOT_WAIVE = "register.cannot-waive"
MRZ_NO_BIRTH_YEAR = "register.mrz-no-birth-year"
IMPORT_FORMAT_FROM_NAME = "import.format-from-name"
IMPORT_FORMAT_UNKNOWN = "import.format-unknown"
IMPORT_LINE_TOO_LONG = "import.line-too-long"
IMPORT_FILE_EMPTY = "import.file-empty"
IMPORT_NOT_UTF8_NEAR = "import.not-utf8-near"
IMPORT_CSV_INVALID = "import.csv-invalid"
IMPORT_JSON_FIRST_ROW = "import.json-first-row"
IMPORT_JSON_NOT_ARRAY = "import.json-not-array"
IMPORT_JSON_ENDS_EARLY = "import.json-ends-early"
IMPORT_JSON_OBJECT_TOO_LARGE = "import.json-object-too-large"
IMPORT_JSON_INVALID = "import.json-invalid"
IMPORT_JSON_LINE_INVALID = "import.json-line-invalid"
IMPORT_NOT_XLSX = "import.not-xlsx"
IMPORT_XLSX_NO_SHEET = "import.xlsx-no-sheet"
IMPORT_XLSX_EMPTY = "import.xlsx-empty"
IMPORT_COLUMNS = "import.columns"
IMPORT_TOO_MANY_ROWS = "import.too-many-rows"
IMPORT_TOO_MANY_COLUMNS = "import.too-many-columns"
IMPORT_XLSX_TOO_LARGE = "import.xlsx-too-large"
IMPORT_FIRST_LOAD_NOT_EMPTY = "import.first-load-not-empty"
IMPORT_REGISTER_CHANGED = "import.register-changed"
EXPORT_FORMAT = "export.format"
CHOOSE_KIND = "register.choose-kind"
CHOOSE_PURPOSE = "register.choose-purpose"
NUMBER_REQUIRED = "register.number-required"
REGION_CODE = "register.region-code"

MESSAGES = {
    DOCUMENT_NOT_ACTIVE: N_("This document is no longer active and cannot be changed."),
    EXTENSION_NOT_LATER: N_("The new end date must be after the current one."),
    END_NOT_AFTER_CURRENT: N_("%(new)s is not after the current end date %(current)s."),
    DOCUMENT_ENDS_BEFORE_START: N_("The document ends (%(until)s) before it begins (%(start)s)."),
    NUMBER_FORM: N_(
        "%(number)s is not a valid number for this kind of document; expected a number "
        "like %(example)s."
    ),
    NUMBER_TAKEN: N_("A document of this kind numbered %(number)s already exists."),
    TRAVEL_DOCUMENT_TAKEN: N_(
        "The travel document %(state)s %(number)s already belongs to a person in the register."
    ),
    CORRECTION_CHANGES_NOTHING: N_("The correction changes nothing."),
    SEARCH_EMPTY: N_("Type a name, a document number or an MRZ to search for."),
    BIRTH_DATE: N_("Give the date of birth as YYYY-MM-DD; write XX for an unknown month or day."),
    NOT_FOUND: N_("No such record in the register."),
    VIOLATION_ENDS_BEFORE_START: N_("The violation ends before it begins."),
    CANNOT_WAIVE: N_("This violation is no longer open and cannot be waived."),
    MRZ_NO_BIRTH_YEAR: N_("The MRZ has no year of birth; register the person by hand."),
    IMPORT_FORMAT_FROM_NAME: N_(
        "The file's format cannot be told from its name: name it .csv, .json, .jsonl or .xlsx."
    ),
    IMPORT_FORMAT_UNKNOWN: N_("Unknown format %(format)s: expected one of %(expected)s."),
    IMPORT_LINE_TOO_LONG: N_(
        "Line %(line)s is longer than %(limit)s characters, more than a row can hold."
    ),
    IMPORT_FILE_EMPTY: N_("The file is empty: expected a header row of column names."),
    IMPORT_NOT_UTF8_NEAR: N_("The file is not UTF-8 text (near row %(row)s)."),
    IMPORT_CSV_INVALID: N_("The file is not valid CSV (near row %(row)s)."),
    IMPORT_JSON_FIRST_ROW: N_("The first row is not a JSON object of columns."),
    IMPORT_JSON_NOT_ARRAY: N_(
        "A JSON import is an array of objects; for one object per line, use JSON Lines (.jsonl)."
    ),
    IMPORT_JSON_ENDS_EARLY: N_("The JSON array ends early, after object %(count)s."),
    IMPORT_JSON_OBJECT_TOO_LARGE: N_("Object %(number)s is larger than 1 MiB."),
    IMPORT_JSON_INVALID: N_("The JSON is not valid at object %(number)s."),
    IMPORT_JSON_LINE_INVALID: N_("Line %(line)s is not valid JSON."),
    IMPORT_NOT_XLSX: N_("The file is not an XLSX workbook."),
    IMPORT_XLSX_NO_SHEET: N_("The workbook has no sheet."),
    IMPORT_XLSX_EMPTY: N_("The first sheet is empty: expected a header row."),
    IMPORT_COLUMNS: N_("The header row lacks columns: expected %(expected)s."),
    IMPORT_TOO_MANY_ROWS: N_("The file has more than %(limit)s rows; split it into several files."),
    IMPORT_TOO_MANY_COLUMNS: N_("The header has more than %(limit)s columns."),
    IMPORT_XLSX_TOO_LARGE: N_(
        "The workbook is larger than %(limit)s bytes once uncompressed; split it into "
        "several files."
    ),
    IMPORT_FIRST_LOAD_NOT_EMPTY: N_(
        "A first load needs an empty register, and this one holds records: import the file "
        "without the first-load option."
    ),
    IMPORT_REGISTER_CHANGED: N_(
        "The register changed while the file was imported; import it again."
    ),
    EXPORT_FORMAT: N_("Unknown export format %(format)s: expected csv or json."),
    CHOOSE_KIND: N_("Choose the kind of document."),
    CHOOSE_PURPOSE: N_("Choose the purpose of stay."),
    NUMBER_REQUIRED: N_("Enter the document number."),
    REGION_CODE: N_(
        "%(region)s is not an ISO 3166-2 region code; expected a code like KZ-75 or UZ-TK."
    ),
}
