/* Network graph (network/analysis/graph.html): organisations as nodes coloured by kind, relations
   as edges; tapping a node lists its services in the side panel. Data from the json_script
   "network-data"; the Cytoscape instance is window.chumchonGraph (for tests). */
(function () {
  "use strict";
  var dataNode = document.getElementById("network-data");
  var box = document.getElementById("network-graph");
  if (!dataNode || !box || typeof window.cytoscape !== "function") { return; }
  var data = JSON.parse(dataNode.textContent);
  var text = data.text || {};

  // One colour per kind of organisation; kinds an administrator adds later are grey.
  var COLOURS = {
    provincial_office: "#5b3a8c", district_office: "#7d5bb5", hospital: "#b3261e",
    health_promoting_hospital: "#e0584f", pao: "#0b4f6e", municipality: "#1f78b4", sao: "#3a9ad9",
    school: "#a15c00", child_centre: "#e39a2d", ngo: "#0b6e4f", community_group: "#33a02c",
    savings_group: "#6fbf4a", fund: "#b2a000", company: "#555555", temple: "#d4a017",
    mosque: "#2e8b57", volunteer_network: "#c2185b"
  };
  var EDGE_STYLES = { funds: "dashed", supports: "solid", coordinates: "dotted", reports_to: "solid",
                      member_of: "dashed", part_of: "solid" };
  function colour(kind) { return COLOURS[kind] || "#8a969c"; }

  var elements = [];
  var byId = {};
  data.nodes.forEach(function (node) {
    byId["o" + node.id] = node;
    elements.push({ data: { id: "o" + node.id, label: node.label, kind: node.kind, colour: colour(node.kind) } });
  });
  data.edges.forEach(function (edge, index) {
    elements.push({ data: { id: "e" + index, source: "o" + edge.source, target: "o" + edge.target,
                            label: edge.kind_label, line: EDGE_STYLES[edge.kind] || "solid" } });
  });

  var cy = window.cytoscape({
    container: box,
    elements: elements,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
        "background-color": "data(colour)", "label": "data(label)", "font-size": 11, "color": "#1d2a33",
        "text-wrap": "wrap", "text-max-width": 110, "text-valign": "bottom", "text-margin-y": 4,
        "width": 28, "height": 28 } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#1d2a33" } },
      { selector: "edge", style: {
        "width": 2, "line-color": "#aab6bd", "target-arrow-color": "#aab6bd", "target-arrow-shape": "triangle",
        "curve-style": "bezier", "line-style": "data(line)", "label": "data(label)", "font-size": 9,
        "color": "#5b6b75", "text-rotation": "autorotate", "text-background-color": "#fff",
        "text-background-opacity": 0.8 } }
    ],
    // Spread the nodes so that Thai labels stay readable on a phone: strong repulsion, long edges,
    // little gravity; a fixed seed-free layout is fine, the legend and panel carry the meaning.
    layout: { name: elements.length > 1 ? "cose" : "grid", animate: false, padding: 24, fit: true,
              nodeRepulsion: function () { return 400000; }, idealEdgeLength: function () { return 110; },
              nodeOverlap: 40, componentSpacing: 80, gravity: 0.4, numIter: 2500 }
  });
  window.chumchonGraph = cy;

  var panel = document.getElementById("network-panel");
  function el(tag, content, className) {
    var node = document.createElement(tag);
    if (content) { node.textContent = content; }
    if (className) { node.className = className; }
    return node;
  }
  function show(id) {
    var node = byId[id];
    if (!panel || !node) { return; }
    panel.textContent = "";
    panel.appendChild(el("h2", node.label));
    panel.appendChild(el("p", (text.kind || "") + ": " + node.kind_label, "muted"));
    panel.appendChild(el("h3", text.services || ""));
    if (!node.services.length) {
      panel.appendChild(el("p", text.none || "", "muted"));
      return;
    }
    var list = el("ul", "", "network-services");
    node.services.forEach(function (service) {
      var item = el("li");
      item.appendChild(el("strong", service.name));
      var detail = service.support_kinds.join(", ");
      if (service.target_groups.length) { detail += " " + (text["for"] || "") + " " + service.target_groups.join(", "); }
      item.appendChild(el("div", detail, "help"));
      list.appendChild(item);
    });
    panel.appendChild(list);
  }
  cy.on("tap", "node", function (event) { show(event.target.id()); });

  var legend = document.getElementById("network-legend");
  if (legend) {
    var seen = {};
    data.nodes.forEach(function (node) {
      if (seen[node.kind]) { return; }
      seen[node.kind] = true;
      var item = el("li");
      var swatch = el("span", "", "swatch");
      swatch.style.backgroundColor = colour(node.kind);
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(node.kind_label));
      legend.appendChild(item);
    });
  }

  // The filters apply as soon as a select changes (the Show button stays for keyboards).
  var filters = document.getElementById("network-filters");
  if (filters) {
    filters.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { filters.submit(); });
    });
  }
})();
