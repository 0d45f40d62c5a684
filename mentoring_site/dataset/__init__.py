"""A synthetic city of kindergartens for load tests and benchmarks (issue 9).

``manage.py generate_dataset --institutions N`` builds N institutions, each with about 30
people (a partner college among them), the bank of mentors and mentees, nine pairs and groups
over three academic years with their orders «О закреплении…», a program of 15 events for each
group, a roadmap of the current year approved by an order, and a satisfaction survey with its
answers. For N = 1,000 that is a city the size of Saint Petersburg: 30,000 people, 9,000
groups and programs, 135,000 events, 5,000 orders, 20,000 answers.

Everything is written with ``bulk_create`` in batches of institutions, and every row keeps the
models' constraints: ``Person.search_name`` is filled as ``Person.save()`` fills it, names are
unique within an institution, signed orders have a number and a date, finished programs a
reason, approved roadmaps an order and a version. A seeded ``random.Random`` draws everything,
so the same seed and the same ``today`` build the same city.

Logins: ``ds0001-head``, ``ds0001-curator``, ``ds0001-council``, ``ds0001-sysadmin`` for the
assigned roles of institution 1, ``ds0001-mentor``, ``ds0001-mentee``, ``ds0001-teacher`` for a
mentor, a mentee in an active pair and a teacher with no profile; every other person has a login
``ds0001-p07``. All share one password (``DATASET_PASSWORD``), hashed once.

``generator.generate`` builds the batches; ``batch`` holds what every step reads; the steps, in
their order: ``institutions``, ``people`` (and logins, roles), ``banks``, ``orders``, ``groups``,
``programs``, ``roadmaps``, ``reports`` (final report and survey). Sizes and names: ``data``.
"""
