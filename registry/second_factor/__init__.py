"""The optional second factor (ASVS 5.0 V6.3; docs/security.md §7): the rules and the devices
(``services.py``), the gate after the password (``middleware.py``), the code forms, the pages and
their URLs."""
