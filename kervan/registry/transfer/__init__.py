"""Import and export of the register: CSV, JSON (array or lines) and XLSX in, CSV and JSON out.

- ``columns``: the row format; ``formats``: streaming readers; ``validation``: per-row checks;
- ``importer``: ``import_file``, chunk by chunk in a savepoint, with ``pipeline`` (the next
  chunk prepared in a thread while the database writes the previous one), ``chunks`` (rows
  parsed, named, given ids and split into waves), ``staging`` (a wave's rows in a temporary
  table), ``reconcile`` (the wave joined with the register in set-based SQL: what each row
  creates, corrects or leaves), ``storage`` (ids in storage form) and ``planner`` (PostgreSQL
  statistics during large imports); ``report``: what it tells;
- ``first_load``: loading an empty register, with ``bulk_load`` (indexes built after, foreign
  keys checked once) and ``batches`` + ``models`` (one history entry per batch);
- ``exporter``: the register back out in the same row format;
- ``api`` and ``cli``: the HTTP routes and the ``kervan import`` / ``kervan export`` commands;
- ``samples``: import files from the synthetic register (demo, tests, benchmark)."""
