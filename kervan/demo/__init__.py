"""The demo and test-bench side of Kervan, kept out of the domain packages: ``kervan demo``
(``node``, its accounts and worked example), the federation on one machine (``federation``,
``trust_setup``, ``serve_node``) and the load-test helpers (``loadtest``)."""
