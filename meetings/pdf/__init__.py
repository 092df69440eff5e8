"""Printed documents of the register: agreed minutes, protocol, list of participants, agenda,
a party's obligations, the implementation report of a meeting and the series report.

``documents`` loads the data and names each document, ``rendering`` turns a template into a
PDF with WeasyPrint, ``views`` and ``tasks`` serve it in the request or through Celery."""
