"""`maillage serve`: a SPARQL 1.1 endpoint, dereferenceable linked data and a web explorer.

Layout:

- ``app.py``      the Starlette application: routes, content negotiation, limits, CORS;
- ``pool.py``     the worker processes that evaluate every query (killed and replaced on timeout);
- ``worker.py``   what runs inside a worker: SPARQL, canned queries, entity pages, dumps;
- ``protocol.py`` request classification (query / update / federated), Accept negotiation;
- ``results.py``  SPARQL results writers (JSON, XML, CSV, TSV) with the row cap;
- ``pages.py``    Jinja2 (autoescaped) templates, URI -> local link mapping;
- ``describe.py`` SPARQL service description and VoID/DCAT description of the dataset.

This module imports nothing heavy: worker processes import only what they use.
"""
