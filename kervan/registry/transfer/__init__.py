"""Import and export of the register: CSV, JSON (array or lines) and XLSX in, CSV and JSON out.

``formats`` reads files row by row, ``validation`` checks each row with plain functions,
``importer`` reconciles chunks of rows with the register (``reconcile``) and writes them in bulk,
``exporter`` streams the register back out in the same row format (``columns``)."""
