/* The partner-network page's script (inlined by viz/network.py): "who works with X?".
   Searching a body (or clicking it) keeps it and its partners in view and dims the others; its
   details open beside the graph. The territory and theme selects filter the graph and lay the
   filtered view out again. Labels are drawn by this script, not by vis-network: at the default
   zoom those of the most central bodies, zoomed in those of every body in sight, in focus only
   those of the bodies in focus; most central first, none over another label or over a more
   central body. Data only reaches the page through textContent; links
   only as the href Python checked (a path of the explorer or an http(s) URL). */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("maillage-data").textContent);
  const INK = "#1d2330", DIM_NODE = 0.16;
  // a link as it is, dimmed, in focus (hover and selection colours given each time: a colour
  // set without them makes vis-network use it for both)
  const EDGE = { color: "#9aa5b1", highlight: "#2c3e50", hover: "#2c3e50", opacity: 0.7 },
        EDGE_DIM = { color: "#9aa5b1", highlight: "#2c3e50", hover: "#2c3e50", opacity: 0.07 },
        EDGE_STRONG = { color: "#2c3e50", highlight: "#2c3e50", hover: "#2c3e50", opacity: 0.9 };
  const RELAYOUT_MAX = 1200, FOCUS_LABELS = 60, ZOOMED_LABELS = 400;
  const LOOK = { normal: { opacity: 1 }, core: { opacity: 1 }, dim: { opacity: DIM_NODE } };   // a body as it is, in focus, dimmed

  function fold(s) { return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function link(href, text, cls) {       // hrefs were checked in Python; checked again here
    if (typeof href !== "string" || !/^(\/(?!\/)|https?:\/\/)/.test(href)) { return null; }
    const a = el("a", text, cls);
    a.href = href;
    return a;
  }

  const byId = new Map(), searchText = new Map(), partners = new Map(), edgesById = new Map();
  data.nodes.forEach(function (n) {
    byId.set(n.id, n);
    partners.set(n.id, []);
    const kind = data.kinds[n.kind] || { label: n.kind, family: "" };
    searchText.set(n.id, fold(n.label + "\n" + n.kind + "\n" + kind.label));
  });
  data.edges.forEach(function (e) {
    edgesById.set(e.id, e);
    partners.get(e.from).push({ id: e.to, edge: e });
    partners.get(e.to).push({ id: e.from, edge: e });
  });
  const byRank = data.nodes.slice().sort(function (a, b) { return a.rank - b.rank; });
  const home = new Map(data.nodes.map(function (n) { return [n.id, { x: n.x, y: n.y }]; }));

  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const container = document.getElementById("mynetwork");
  const network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.maillageNetwork = network;

  const territory = document.getElementById("filter-territory");
  const theme = document.getElementById("filter-theme");
  const search = document.getElementById("filter-search");
  const count = document.getElementById("maillage-count");
  const intro = document.getElementById("maillage-intro");
  const details = document.getElementById("maillage-details");
  const detailsText = document.getElementById("maillage-details-text");

  const hiddenNodes = new Set(), hiddenEdges = new Set(), nodeLook = new Map(), edgeLook = new Map();
  let globalDim = false;
  let visible = { nodes: data.nodes.length, edges: data.edges.length };
  let selected = null, matches = [], core = null, centres = null, moved = false, topLabels = true;
  let labelled = [];

  // --- focus: a body (or the bodies matching the search) and their partners -------------------
  function setFocus(centreIds) {
    if (centreIds === null) {
      core = centres = null;
    } else {
      centres = new Set(centreIds.filter(function (id) { return !hiddenNodes.has(id); }));
      core = new Set(centres);
      centres.forEach(function (id) {
        partners.get(id).forEach(function (p) { if (!hiddenNodes.has(p.id)) { core.add(p.id); } });
      });
    }
    // The dimmed look is the global one while something is in focus (one setOptions, not one
    // update per node: a 2,000-node page stays quick); the bodies in focus and their links are
    // set one by one. Labels are this script's (see afterDrawing): a dimmed body has none.
    const dim = core !== null;
    if (dim !== globalDim) {
      globalDim = dim;
      network.setOptions({ nodes: LOOK[dim ? "dim" : "normal"], edges: { color: dim ? EDGE_DIM : EDGE } });
    }
    // an item once set one by one keeps its own look (it overrides the global one): every such
    // item is remembered, and set again whenever its look changes
    const rest = dim ? "dim" : "normal", nodeUpdates = [], edgeUpdates = [];
    const nodeIds = new Set(nodeLook.keys());
    if (core !== null) { core.forEach(function (id) { nodeIds.add(id); }); }
    nodeIds.forEach(function (id) {
      const look = core !== null && core.has(id) ? "core" : rest;
      if (nodeLook.get(id) !== look) {
        nodeLook.set(id, look);
        nodeUpdates.push(Object.assign({ id: id }, LOOK[look]));
      }
    });
    const edgeIds = new Set(edgeLook.keys());
    if (centres !== null) {
      centres.forEach(function (id) { partners.get(id).forEach(function (p) { edgeIds.add(p.edge.id); }); });
    }
    edgeIds.forEach(function (id) {
      const e = edgesById.get(id);
      const look = centres !== null && (centres.has(e.from) || centres.has(e.to)) ? "strong" : dim ? "dim" : "normal";
      if (edgeLook.get(id) !== look) {
        edgeLook.set(id, look);
        edgeUpdates.push({ id: id, color: look === "strong" ? EDGE_STRONG : look === "dim" ? EDGE_DIM : EDGE });
      }
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
  }

  function fitTo(ids) {
    // network.fit() reads bounding boxes that are only updated at the next drawing: the
    // positions just set (a new layout) are read here instead
    const list = Array.from(ids);
    if (!list.length) { return; }
    const pos = network.getPositions(list);
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    list.forEach(function (id) {
      const p = pos[id], r = byId.get(id).size + 4;
      x0 = Math.min(x0, p.x - r); x1 = Math.max(x1, p.x + r);
      y0 = Math.min(y0, p.y - r); y1 = Math.max(y1, p.y + r + 18);
    });
    const w = container.clientWidth, h = container.clientHeight;
    const scale = Math.min(1.5, 0.92 * Math.min(w / Math.max(x1 - x0, 1), h / Math.max(y1 - y0, 1)));
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale, animation: false });
  }

  // --- the panel beside the graph ---------------------------------------------------------------
  function openPanel(build) {
    detailsText.replaceChildren();
    build(detailsText);
    details.hidden = false;
    intro.hidden = true;
    details.scrollIntoView({ block: "nearest" });
  }
  function closePanel() {
    detailsText.replaceChildren();
    details.hidden = true;
    intro.hidden = false;
  }
  function goButton(id) {
    const b = el("button", byId.get(id).label, "go");
    b.type = "button";
    b.addEventListener("click", function () { select(id, true); });
    return b;
  }

  function nodeDetails(n) {
    openPanel(function (box) {
      const kind = data.kinds[n.kind] || { label: n.kind, family: "" };
      box.appendChild(el("h2", n.label));
      box.appendChild(el("p", kind.label + " (" + n.kind + ")" + (kind.family ? " · " + kind.family : ""), "kind"));
      const links = el("p", null, "links");
      [link(n.href, "Fiche de l'organisme", "entity"), link(n.net, "Son réseau seul", "around")].forEach(function (a) {
        if (!a) { return; }
        if (links.childNodes.length) { links.appendChild(document.createTextNode(" · ")); }
        links.appendChild(a);
      });
      if (links.childNodes.length) { box.appendChild(links); }
      const list = partners.get(n.id).slice().sort(function (a, b) {
        return b.edge.weight - a.edge.weight || byId.get(a.id).rank - byId.get(b.id).rank;
      });
      box.appendChild(el("h3", list.length ? "Travaille avec " + plural(list.length, "partenaire") : "Aucun partenaire connu"));
      const ol = el("ol", null, "partners");
      ol.id = "maillage-partners";
      list.forEach(function (p) {
        const li = el("li");
        li.dataset.id = p.id;
        li.appendChild(goButton(p.id));
        li.appendChild(el("span", " — " + plural(p.edge.weight, "initiative") + " partagée" + (p.edge.weight === 1 ? "" : "s"), "shared"));
        const page = link(byId.get(p.id).href, "fiche", "page");
        if (page) { li.appendChild(document.createTextNode(" ")); li.appendChild(page); }
        if (hiddenNodes.has(p.id)) { li.appendChild(el("span", " (hors filtre)", "shared")); }
        ol.appendChild(li);
      });
      box.appendChild(ol);
      if (n.territories.length || n.themes.length) { box.appendChild(el("h3", "Territoires et thématiques")); }
      if (n.territories.length) {
        box.appendChild(el("p", "Territoires : " + n.territories.map(function (i) { return data.territories[i]; }).join(", ")));
      }
      if (n.themes.length) {
        box.appendChild(el("p", "Thématiques : " + n.themes.map(function (i) { return data.themes[i]; }).join(", ")));
      }
      if (typeof n.factsAt === "number") {       // the facts close the tooltip, one "• " line each
        box.appendChild(el("h3", "Faits et sources"));
        const ul = el("ul", null, "facts");
        n.title.slice(n.factsAt).split("\n").forEach(function (f) { ul.appendChild(el("li", f.replace(/^• /, ""))); });
        box.appendChild(ul);
      }
    });
  }

  function edgeDetails(e) {
    openPanel(function (box) {
      const lines = e.title.split("\n");
      box.appendChild(el("h2", lines[0]));
      lines.slice(1).forEach(function (line) { box.appendChild(el("p", line)); });
      box.appendChild(el("h3", "Les deux organismes"));
      const ul = el("ul");
      [e.from, e.to].forEach(function (id) { const li = el("li"); li.appendChild(goButton(id)); ul.appendChild(li); });
      box.appendChild(ul);
    });
  }

  function matchesList(found) {
    openPanel(function (box) {
      box.appendChild(el("h2", plural(found.length, "organisme") + " trouvé" + (found.length === 1 ? "" : "s")));
      box.appendChild(el("p", "En vue : eux et leurs partenaires. Choisissez-en un pour sa fiche.", "kind"));
      const ol = el("ol");
      found.slice(0, 100).forEach(function (id) { const li = el("li"); li.appendChild(goButton(id)); ol.appendChild(li); });
      if (found.length > 100) { ol.appendChild(el("li", "… et " + (found.length - 100) + " autres")); }
      box.appendChild(ol);
    });
  }

  // --- selection and search ---------------------------------------------------------------------
  function select(id, fit) {
    if (!byId.has(id) || hiddenNodes.has(id)) { return false; }
    selected = id;
    setFocus([id]);
    network.selectNodes([id]);
    nodeDetails(byId.get(id));
    if (fit) { fitTo(core); }
    return true;
  }

  function unselect() {
    selected = null;
    network.unselectAll();
    if (matches.length) {
      setFocus(matches);
      if (matches.length === 1) { select(matches[0], false); } else { matchesList(matches); }
    } else {
      setFocus(null);
      closePanel();
    }
  }

  function runSearch(fit) {
    const q = fold(search.value.trim());
    selected = null;
    network.unselectAll();
    matches = q === "" ? [] : byRank.filter(function (n) {
      return !hiddenNodes.has(n.id) && searchText.get(n.id).indexOf(q) >= 0;
    }).map(function (n) { return n.id; });
    if (q === "") { setFocus(null); closePanel(); return; }
    const exact = matches.filter(function (id) { return fold(byId.get(id).label) === q; });
    const best = exact.length ? exact[0] : matches.length === 1 ? matches[0] : null;
    if (best !== null) { select(best, fit); return; }
    setFocus(matches.length ? matches : null);
    if (matches.length) {
      matchesList(matches);
      if (fit) { fitTo(core); }
    } else {
      openPanel(function (box) {
        box.appendChild(el("h2", "Aucun organisme trouvé"));
        box.appendChild(el("p", "Aucun nom ni type ne contient « " + search.value.trim() + " » parmi les organisations affichées.", "kind"));
      });
    }
  }

  // --- filters: territory and theme hide; the filtered view is laid out again ------------------
  function layoutOf(ids) {
    // Fruchterman-Reingold with a pull to the centre (as viz/layout.py), from the positions the
    // page opened with (so the same filter always gives the same picture), then discs apart.
    const n = ids.length, index = new Map(ids.map(function (id, i) { return [id, i]; }));
    const xs = new Float64Array(n), ys = new Float64Array(n), fx = new Float64Array(n), fy = new Float64Array(n);
    let cx = 0, cy = 0;
    ids.forEach(function (id, i) { const p = home.get(id); xs[i] = p.x; ys[i] = p.y; cx += p.x / n; cy += p.y / n; });
    let r = 0;
    for (let i = 0; i < n; i++) { xs[i] -= cx; ys[i] -= cy; r = Math.max(r, Math.hypot(xs[i], ys[i])); }
    for (let i = 0; i < n; i++) { xs[i] /= r || 1; ys[i] /= r || 1; }
    const links = [];
    data.edges.forEach(function (e) {
      if (index.has(e.from) && index.has(e.to)) {
        links.push([index.get(e.from), index.get(e.to), 1 + Math.log(Math.max(e.weight, 1))]);
      }
    });
    const k = 1 / Math.sqrt(n), iterations = 60, gravity = 0.1 * n * k;
    let t = 0.1;
    const cooling = t / (iterations + 1);
    for (let it = 0; it < iterations; it++) {
      fx.fill(0); fy.fill(0);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const dx = xs[i] - xs[j], dy = ys[i] - ys[j];
          const f = k * k / Math.max(dx * dx + dy * dy, 1e-9);
          fx[i] += dx * f; fy[i] += dy * f; fx[j] -= dx * f; fy[j] -= dy * f;
        }
      }
      links.forEach(function (l) {
        const dx = xs[l[0]] - xs[l[1]], dy = ys[l[0]] - ys[l[1]];
        const f = Math.hypot(dx, dy) * l[2] / k;
        fx[l[0]] -= dx * f; fy[l[0]] -= dy * f; fx[l[1]] += dx * f; fy[l[1]] += dy * f;
      });
      for (let i = 0; i < n; i++) {
        fx[i] -= gravity * xs[i]; fy[i] -= gravity * ys[i];
        const d = Math.max(Math.hypot(fx[i], fy[i]), 1e-9), step = Math.min(d, t) / d;
        xs[i] += fx[i] * step; ys[i] += fy[i] * step;
      }
      t -= cooling;
    }
    const spread = Math.max(45, 140 - 27 * Math.log10(n)) * Math.sqrt(n);
    const sizes = ids.map(function (id) { return byId.get(id).size; });
    for (let i = 0; i < n; i++) { xs[i] *= spread; ys[i] *= spread; }
    for (let round = 0; round < 20; round++) {          // push overlapping discs apart
      let hit = false;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const dx = xs[i] - xs[j], dy = ys[i] - ys[j], d = Math.hypot(dx, dy), need = sizes[i] + sizes[j] + 8;
          if (d < need) {
            hit = true;
            const ux = d > 1e-6 ? dx / d : 1, uy = d > 1e-6 ? dy / d : 0, push = (need - d) / 2;
            xs[i] += ux * push; ys[i] += uy * push; xs[j] -= ux * push; ys[j] -= uy * push;
          }
        }
      }
      if (!hit) { break; }
    }
    return ids.map(function (id, i) { return { id: id, x: Math.round(xs[i] * 10) / 10, y: Math.round(ys[i] * 10) / 10 }; });
  }

  function applyFilters(fit) {
    const t = territory.value === "" ? -1 : Number(territory.value);
    const h = theme.value === "" ? -1 : Number(theme.value);
    const shown = [], nodeUpdates = [], edgeUpdates = [];
    let shownEdges = 0;
    data.nodes.forEach(function (n) {
      const ok = (t < 0 || n.territories.indexOf(t) >= 0) && (h < 0 || n.themes.indexOf(h) >= 0);
      if (ok) { shown.push(n.id); }
      if (ok === hiddenNodes.has(n.id)) {
        if (ok) { hiddenNodes.delete(n.id); } else { hiddenNodes.add(n.id); }
        nodeUpdates.push({ id: n.id, hidden: !ok });
      }
    });
    const shownSet = new Set(shown);
    data.edges.forEach(function (e) {
      const ok = shownSet.has(e.from) && shownSet.has(e.to);
      if (ok) { shownEdges += 1; }
      if (ok === hiddenEdges.has(e.id)) {
        if (ok) { hiddenEdges.delete(e.id); } else { hiddenEdges.add(e.id); }
        edgeUpdates.push({ id: e.id, hidden: !ok });
      }
    });
    // positions: the filtered view gets its own layout; the whole graph its own again
    const filtered = shown.length < data.nodes.length;
    if (filtered && shown.length > 1 && shown.length <= RELAYOUT_MAX) {
      layoutOf(shown).forEach(function (p) { nodeUpdates.push(p); });
      moved = true;
    } else if (moved && !filtered) {
      home.forEach(function (p, id) { nodeUpdates.push({ id: id, x: p.x, y: p.y }); });
      moved = false;
    }
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
    visible = { nodes: shown.length, edges: shownEdges };
    count.textContent = shown.length + " / " + plural(data.nodes.length, "organisation") + " affichée" +
      (shown.length === 1 ? "" : "s") + ", " + shownEdges + " / " + plural(data.edges.length, "lien");
    if (selected !== null && hiddenNodes.has(selected)) { selected = null; network.unselectAll(); }
    if (selected !== null) { select(selected, false); } else { runSearch(false); }
    if (fit && shown.length) { fitTo(shown); }
    return visible;
  }

  // --- labels of the most central bodies (or of those in focus) at any zoom ---------------------
  network.on("afterDrawing", function (ctx) {
    labelled = [];
    if (!topLabels) { return; }
    const scale = network.getScale(), zoomed = data.labels.font * scale >= data.labels.px;
    // what is in sight (zoomed in, only those bodies are looked at)
    const tl = network.DOMtoCanvas({ x: 0, y: 0 });
    const br = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    const drawn = network.body.nodes;
    function inSight(n) {
      const d = drawn[n.id];
      return d !== undefined && d.x >= tl.x && d.x <= br.x && d.y >= tl.y && d.y <= br.y;
    }
    let candidates;
    if (core !== null) {
      candidates = byRank.filter(function (n) { return centres.has(n.id); })
        .concat(byRank.filter(function (n) { return core.has(n.id) && !centres.has(n.id) && (!zoomed || inSight(n)); }))
        .slice(0, zoomed ? ZOOMED_LABELS : FOCUS_LABELS);
    } else if (zoomed) {
      candidates = byRank.filter(function (n) { return !hiddenNodes.has(n.id) && inSight(n); }).slice(0, ZOOMED_LABELS);
    } else {
      candidates = byRank.filter(function (n) { return !hiddenNodes.has(n.id); }).slice(0, data.labels.top);
    }
    const size = Math.max(data.labels.px / scale, data.labels.font), pad = 2 / scale;
    const positions = network.getPositions(candidates.map(function (n) { return n.id; }));
    // a label covers no other label, nor the disc of a body that comes before it (more central,
    // or the one in focus); it goes under its node, else above it
    const discs = candidates.map(function (n) {
      const p = positions[n.id] || { x: NaN, y: NaN };
      return [p.x - n.size, p.y - n.size, p.x + n.size, p.y + n.size];
    });
    const boxes = [];
    function free(box, index) {
      const hit = function (b) { return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]; };
      if (boxes.some(hit)) { return false; }
      for (let i = 0; i < index; i++) { if (hit(discs[i])) { return false; } }
      return true;
    }
    ctx.save();
    ctx.font = size + "px system-ui, 'DejaVu Sans', sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3 / scale;
    ctx.strokeStyle = "#ffffff";
    ctx.fillStyle = INK;
    candidates.forEach(function (n, index) {
      const p = positions[n.id];
      if (!p) { return; }
      const bold = centres !== null && centres.has(n.id);
      ctx.font = (bold ? "bold " : "") + size + "px system-ui, 'DejaVu Sans', sans-serif";
      const text = n.label.length > 42 ? n.label.slice(0, 40) + "…" : n.label;
      const w = ctx.measureText(text).width;
      const below = p.y + n.size + 3 / scale, above = p.y - n.size - 3 / scale - size;
      const top = [below, above].find(function (y) { return free([p.x - w / 2 - pad, y - pad, p.x + w / 2 + pad, y + size + pad], index); });
      if (top === undefined && !bold) { return; }       // the body in focus is always named
      const y = top === undefined ? below : top;
      boxes.push([p.x - w / 2 - pad, y - pad, p.x + w / 2 + pad, y + size + pad]);
      ctx.strokeText(text, p.x, y);
      ctx.fillText(text, p.x, y);
      labelled.push(n.id);
    });
    ctx.restore();
  });

  // --- events -----------------------------------------------------------------------------------
  let pending = null;
  search.addEventListener("input", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { runSearch(true); }, data.nodes.length > 500 ? 150 : 0);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") { return; }
    clearTimeout(pending);
    runSearch(false);
    if (selected === null && matches.length) { select(matches[0], true); }
  });
  document.addEventListener("keydown", function (event) {       // Échap: nothing in focus
    if (event.key !== "Escape" || (details.hidden && selected === null)) { return; }
    search.value = "";
    matches = [];
    unselect();
  });
  territory.addEventListener("change", function () { applyFilters(true); });
  theme.addEventListener("change", function () { applyFilters(true); });
  document.getElementById("filter-reset").addEventListener("click", function () {
    territory.value = "";
    theme.value = "";
    search.value = "";
    matches = [];
    selected = null;
    network.unselectAll();
    applyFilters(false);
    network.fit({ animation: false });
  });
  document.getElementById("maillage-details-close").addEventListener("click", function () {
    search.value = "";
    matches = [];
    unselect();
  });
  network.on("click", function (params) {
    if (params.nodes.length) {
      select(params.nodes[0], false);
    } else if (params.edges.length) {
      edgeDetails(edgesById.get(params.edges[0]));
    } else if (selected !== null || !details.hidden) {
      unselect();
    }
  });

  network.once("afterDrawing", function () {
    window.maillageReady = true;
    document.body.setAttribute("data-ready", "true");
  });
  applyFilters(false);
  // a search in the address: network.html#q=France%20Travail (a link to "who works with X?")
  const asked = /^#q=(.*)$/.exec(location.hash);
  if (asked) {
    try { search.value = decodeURIComponent(asked[1].replace(/\+/g, " ")); } catch (e) { search.value = ""; }
    runSearch(true);
  } else if (data.focus !== null) {
    select(data.focus, false);
  }

  window.maillage = {
    data: data,
    nodes: nodes,
    edges: edges,
    applyFilters: applyFilters,
    select: function (id) { return select(id, true); },
    visible: function () { return { nodes: visible.nodes, edges: visible.edges }; },
    visibleNodeIds: function () {
      return data.nodes.filter(function (n) { return !hiddenNodes.has(n.id); }).map(function (n) { return n.id; });
    },
    // visible and not dimmed: in focus (or everything, when nothing is in focus)
    focusedNodeIds: function () {
      return data.nodes.filter(function (n) { return !hiddenNodes.has(n.id) && (core === null || core.has(n.id)); })
        .map(function (n) { return n.id; });
    },
    dimmedNodeIds: function () {
      return core === null ? [] : data.nodes.filter(function (n) { return !hiddenNodes.has(n.id) && !core.has(n.id); })
        .map(function (n) { return n.id; });
    },
    matches: function () { return matches.slice(); },
    selected: function () { return selected; },
    labelledNodeIds: function () { return labelled.slice(); },
    topLabels: function (on) { topLabels = on; network.redraw(); }
  };
})();
