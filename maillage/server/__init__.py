"""`maillage serve`: a SPARQL 1.1 endpoint, dereferenceable linked data and a web explorer.

Layout:

- ``app.py``       the Starlette application: the server's life cycle, /sparql, /healthz, the routes table;
- ``views/``       the explorer, one module per concern (home, search, canned, entity, funder, document,
                   dataset, vocabulary, network), each with its routes and the jobs its workers run;
- ``worker.py``    the worker loop: what runs inside a worker process (the protocol's jobs, the views');
- ``pool.py``      the worker processes that run every job (killed and replaced on timeout);
- ``cache.py``     answers kept per graph generation, values computed once;
- ``responses.py`` HTML pages with their headers, text errors, waiting while watching the client;
- ``protocol.py``  request classification (query / update / federated), Accept negotiation;
- ``results.py``   SPARQL results writers (JSON, XML, CSV, TSV) with the row cap;
- ``pages.py``     Jinja2 (autoescaped) templates, French formats (amounts, periods, column names), links;
- ``charts.py``    bar charts drawn as SVG on the server;
- ``describe.py``  SPARQL service description and VoID/DCAT description of the dataset.

Every query is a .rq file run through maillage.query; every page is rendered in a worker process.
This module imports nothing heavy: worker processes import only what they use.
"""
