"""What the tests share, in one place (fixtures stay in the conftest files):

- ``paths``: the checkout (``REPO``) and the real data snapshot;
- ``cli``: the command line in this process (``cli``, ``cli_checked``) or as its own (``spawn``);
- ``market``: a tiny market on disk for the fault suite to break;
- ``panels``: hand-made panels for the metrics; ``realdata``: the real snapshot read two ways;
- ``synthetic``: full-size synthetic inputs for the charts and the PDF;
- ``days``: hand-built day folders and sentences for the portal and the e-mail;
- ``fakes``: stand-ins for the render stage; ``yahoo``: for yfinance;
- ``smtp``: SMTP servers on loopback, a real one and one that misbehaves;
- ``schema``: the report.json schema; ``outputs``: reading PDFs and folders; ``links``: HTML links.
"""
