// Sluice dashboard: polls the JSON endpoints beside this page and renders them. No framework: DOM is
// built with textContent only (never innerHTML), so names and payloads cannot inject markup.
(function () {
  'use strict';
  var base = window.location.pathname.replace(/\/+$/, '');
  var REFRESH_MS = 2000;
  var groupCards = {};
  var dlqPanels = {};
  var armed = {};
  var timer = null;
  var busy = false;

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined) return;
        if (k === 'text') node.textContent = String(v);
        else if (k === 'cls') node.className = v;
        else if (k === 'on') Object.keys(v).forEach(function (ev) { node.addEventListener(ev, v[ev]); });
        else node.setAttribute(k, v);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function fmt(n) { return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'); }

  function bytes(n) {
    if (n === null || n === undefined || n < 0) return 'n/a';
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  function api(path, body) {
    var opts = { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' };
    if (body !== undefined) {
      opts.method = 'POST';
      opts.headers['Content-Type'] = 'application/json';
      // Spring Security's cookie CSRF repository (csrf.spa()): echo its token as a header.
      var xsrf = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
      if (xsrf) opts.headers['X-XSRF-TOKEN'] = decodeURIComponent(xsrf[1]);
      opts.body = JSON.stringify(body);
    }
    return fetch(base + path, opts).then(function (r) {
      return r.text().then(function (t) {
        var data = null;
        try { data = t ? JSON.parse(t) : null; } catch (e) { data = { message: t }; }
        if (!r.ok) {
          var msg = (data && data.message) || r.statusText;
          throw new Error(r.status + ' ' + msg);
        }
        return data;
      });
    });
  }

  function toast(text, isError) {
    var t = document.getElementById('toast');
    t.textContent = text;
    t.className = 'toast show' + (isError ? ' error' : '');
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { t.className = 'toast'; }, 4000);
  }

  function act(path, body, describe) {
    return api(path, body).then(function (res) {
      toast(describe(res));
      return refresh();
    }).catch(function (e) { toast(e.message, true); });
  }

  // A button that needs a second click within 4 s to act (no native dialogs).
  function dangerButton(key, label, testid, action) {
    var b = el('button', { cls: 'danger' + (armed[key] ? ' armed' : ''), 'data-testid': testid,
      text: armed[key] ? 'Confirm ' + label.toLowerCase() : label });
    b.addEventListener('click', function () {
      if (armed[key]) {
        delete armed[key];
        b.disabled = true;
        action();
      } else {
        armed[key] = setTimeout(function () { delete armed[key]; render.last && render(render.last); }, 4000);
        b.className = 'danger armed';
        b.textContent = 'Confirm ' + label.toLowerCase();
      }
    });
    return b;
  }

  function renderTopics(topics) {
    var tbody = document.querySelector('#topics tbody');
    clear(tbody);
    if (!topics.length) {
      tbody.appendChild(el('tr', null, el('td', { colspan: 5, cls: 'empty', text: 'No topic yet.' })));
    }
    topics.forEach(function (t) {
      var parts = el('div', { cls: 'mono' });
      t.partitions.forEach(function (p) {
        parts.appendChild(el('div', { 'data-partition': p.partition },
          'p' + p.partition + ': ' + fmt(p.logStartOffset) + '–' + fmt(p.endOffset) + ' (' + bytes(p.retainedBytes) + ')'));
      });
      var name = el('td', null, el('strong', { text: t.name }));
      if (t.deadLetterTopic) name.appendChild(el('span', { cls: 'badge dlq', text: ' DLQ ' }));
      tbody.appendChild(el('tr', { 'data-topic': t.name },
        name, el('td', null, parts),
        el('td', { cls: 'num end-offsets', text: fmt(t.endOffsetSum) }),
        el('td', { cls: 'num retained', text: fmt(t.retainedMessages) }),
        el('td', { cls: 'num size', text: bytes(t.retainedBytes) })));
    });
  }

  function chart(points) {
    var W = 400, H = 90, P = 4;
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('class', 'chart');
    if (!points || points.length < 2) {
      var t = document.createElementNS(ns, 'text');
      t.setAttribute('x', 8); t.setAttribute('y', 48);
      t.textContent = 'collecting samples…';
      svg.appendChild(t);
      return svg;
    }
    var t0 = points[0].at, t1 = points[points.length - 1].at;
    var maxLag = Math.max.apply(null, points.map(function (p) { return p.lag; }).concat([1]));
    var maxRate = Math.max.apply(null, points.map(function (p) { return p.rate; }).concat([1]));
    function line(cls, value, max) {
      var pl = document.createElementNS(ns, 'polyline');
      pl.setAttribute('class', cls);
      pl.setAttribute('vector-effect', 'non-scaling-stroke');
      pl.setAttribute('points', points.map(function (p) {
        var x = P + (W - 2 * P) * (t1 === t0 ? 0 : (p.at - t0) / (t1 - t0));
        var y = H - P - (H - 2 * P) * (value(p) / max);
        return x.toFixed(1) + ',' + y.toFixed(1);
      }).join(' '));
      svg.appendChild(pl);
    }
    line('lag', function (p) { return p.lag; }, maxLag);
    line('rate', function (p) { return p.rate; }, maxRate);
    var label = document.createElementNS(ns, 'text');
    label.setAttribute('x', 6); label.setAttribute('y', 12);
    label.textContent = 'max lag ' + fmt(maxLag) + ' · max ' + maxRate.toFixed(1) + ' msg/s · last ' +
      Math.round((t1 - t0) / 1000) + ' s';
    svg.appendChild(label);
    return svg;
  }

  function groupCard(key, g) {
    var card = groupCards[key];
    if (card) return card;
    card = { root: el('div', { cls: 'card group', 'data-group': g.group, 'data-topic': g.topic }) };
    card.title = el('h3');
    card.metrics = el('div', { cls: 'metrics' });
    card.actions = el('div', { cls: 'actions' });
    card.table = el('table', { cls: 'partitions' });
    card.chart = el('div', { cls: 'chart-box' });
    card.reset = resetForm(g);
    card.root.appendChild(card.title);
    card.root.appendChild(card.metrics);
    card.root.appendChild(card.chart);
    card.root.appendChild(el('div', { cls: 'legend' }, el('span', { cls: 'l', text: '— lag' }), '  ',
      el('span', { cls: 'r', text: '— done per second' })));
    card.root.appendChild(card.actions);
    card.root.appendChild(card.table);
    card.root.appendChild(card.reset);
    groupCards[key] = card;
    return card;
  }

  function resetForm(g) {
    var to = el('select', { 'data-testid': 'reset-to' },
      el('option', { value: 'earliest', text: 'earliest' }), el('option', { value: 'latest', text: 'latest' }),
      el('option', { value: 'offset', text: 'offset' }), el('option', { value: 'time', text: 'time (ISO)' }));
    var value = el('input', { type: 'text', size: 22, placeholder: 'offset or 2026-01-31T12:00:00Z' });
    var partition = el('input', { type: 'number', min: 0, placeholder: 'all', style: 'width:5em' });
    var plan = el('div', { cls: 'plan mono', 'data-testid': 'reset-plan' });
    function body(dryRun) {
      var b = { topic: g.topic, to: to.value, dryRun: dryRun };
      if (partition.value !== '') b.partition = Number(partition.value);
      if (to.value === 'offset') b.offset = value.value;
      if (to.value === 'time') b.time = value.value;
      return b;
    }
    function show(res) {
      clear(plan);
      plan.appendChild(el('div', { text: res.dryRun ? 'Dry run: nothing changed yet.' : 'Offsets reset.' }));
      res.changes.forEach(function (c) {
        plan.appendChild(el('div', { text: 'p' + c.partition + ': ' + fmt(c.from) + ' → ' + fmt(c.to) +
          ' (' + (c.delta > 0 ? 'skips ' + fmt(c.delta) : c.delta < 0 ? 'replays ' + fmt(-c.delta) : 'no change') + ')' }));
      });
    }
    var path = '/api/groups/' + encodeURIComponent(g.group) + '/reset';
    var preview = el('button', { 'data-testid': 'reset-preview', text: 'Preview' });
    preview.addEventListener('click', function () {
      api(path, body(true)).then(show).catch(function (e) { toast(e.message, true); });
    });
    var apply = el('button', { cls: 'danger', 'data-testid': 'reset-apply', text: 'Reset offsets' });
    apply.addEventListener('click', function () {
      api(path, body(false)).then(function (res) { show(res); toast('Offsets of ' + g.group + ' reset'); refresh(); })
        .catch(function (e) { toast(e.message, true); });
    });
    return el('details', { cls: 'reset' }, el('summary', { text: 'Reset offsets…' }),
      el('div', { cls: 'actions' }, 'to ', to, value, ' partition ', partition, preview, apply), plan);
  }

  function renderGroups(groups, history) {
    var box = document.getElementById('groups');
    var series = {};
    (history.series || []).forEach(function (s) { series[s.group + '\n' + s.topic] = s.points; });
    var seen = {};
    if (!groups.length) {
      clear(box);
      box.appendChild(el('p', { cls: 'empty', text: 'No consumer group has read a topic yet.' }));
      groupCards = {};
      return;
    }
    var grid = box.querySelector('.cards');
    if (!grid) { clear(box); grid = el('div', { cls: 'cards' }); box.appendChild(grid); }
    groups.forEach(function (g) {
      var key = g.group + '\n' + g.topic;
      seen[key] = true;
      var card = groupCard(key, g);
      clear(card.title);
      card.title.appendChild(el('span', { text: g.group }));
      card.title.appendChild(el('span', { cls: 'topic', text: 'on ' + g.topic }));
      card.title.appendChild(el('span', { cls: 'badge' + (g.paused ? ' paused' : ''), 'data-testid': 'state',
        text: g.paused ? 'paused' : 'running' }));
      clear(card.metrics);
      card.metrics.appendChild(el('div', null, el('span', { cls: 'label', text: 'lag' }),
        el('span', { cls: 'big', 'data-testid': 'lag', text: fmt(g.lag) })));
      card.metrics.appendChild(el('div', null, el('span', { cls: 'label', text: 'in flight' }),
        el('span', { cls: 'big', 'data-testid': 'in-flight', text: fmt(g.inFlight) })));
      clear(card.chart);
      card.chart.appendChild(chart(series[key]));
      clear(card.actions);
      var gpath = '/api/groups/' + encodeURIComponent(g.group);
      card.actions.appendChild(el('button', { 'data-testid': 'pause', text: 'Pause on ' + g.topic, disabled: g.paused ? 'disabled' : null,
        on: { click: function () { act(gpath + '/pause', { topic: g.topic }, function () { return g.group + ' paused on ' + g.topic; }); } } }));
      card.actions.appendChild(el('button', { 'data-testid': 'resume', text: 'Resume', disabled: g.paused ? null : 'disabled',
        on: { click: function () { act(gpath + '/resume', { topic: g.topic }, function () { return g.group + ' resumed on ' + g.topic; }); } } }));
      clear(card.table);
      card.table.appendChild(el('thead', null, el('tr', null, el('th', { text: 'Partition' }),
        el('th', { cls: 'num', text: 'Committed' }), el('th', { cls: 'num', text: 'End' }),
        el('th', { cls: 'num', text: 'Lag' }), el('th', { cls: 'num', text: 'In flight' }))));
      var tb = el('tbody');
      g.partitions.forEach(function (p) {
        tb.appendChild(el('tr', { 'data-partition': p.partition }, el('td', { text: p.partition }),
          el('td', { cls: 'num', text: fmt(p.committedOffset) }), el('td', { cls: 'num', text: fmt(p.endOffset) }),
          el('td', { cls: 'num', text: fmt(p.lag) }), el('td', { cls: 'num', text: fmt(p.inFlight) })));
      });
      card.table.appendChild(tb);
      if (card.root.parentNode !== grid) grid.appendChild(card.root);
    });
    Object.keys(groupCards).forEach(function (k) {
      if (!seen[k]) { var c = groupCards[k]; if (c.root.parentNode) c.root.parentNode.removeChild(c.root); delete groupCards[k]; }
    });
  }

  function renderDlqs(topics, lists) {
    var box = document.getElementById('dlqs');
    clear(box);
    var dlqTopics = topics.filter(function (t) { return t.deadLetterTopic; });
    if (!dlqTopics.length) {
      box.appendChild(el('p', { cls: 'empty', text: 'No dead-letter topic.' }));
      return;
    }
    dlqTopics.forEach(function (t, i) {
      var list = lists[i] || { pending: t.pendingDeadLetters, entries: [] };
      var tpath = '/api/dlq/' + encodeURIComponent(t.name);
      var panel = el('div', { cls: 'dlq card', 'data-dlq': t.name });
      panel.appendChild(el('h3', null, el('span', { text: t.name }),
        el('span', { cls: 'badge dlq', 'data-testid': 'pending', text: fmt(list.pending) + ' pending' })));
      var actions = el('div', { cls: 'actions' });
      actions.appendChild(el('button', { cls: 'primary', 'data-testid': 'redrive-all', text: 'Redrive all',
        disabled: list.pending ? null : 'disabled',
        on: { click: function () { act(tpath + '/redrive', {}, function (r) { return 'Redrove ' + r.redriven + ' from ' + t.name; }); } } }));
      actions.appendChild(dangerButton('purge-all\n' + t.name, 'Purge all', 'purge-all', function () {
        act(tpath + '/purge', {}, function (r) { return 'Purged ' + r.purged + ' from ' + t.name; });
      }));
      panel.appendChild(actions);
      if (!list.entries.length) {
        panel.appendChild(el('p', { cls: 'empty', 'data-testid': 'no-dead-letters', text: 'No pending dead letter.' }));
      } else {
        var table = el('table', { 'data-testid': 'dead-letters' }, el('thead', null, el('tr', null,
          el('th', { text: 'Id' }), el('th', { text: 'From' }),
          el('th', { cls: 'num', text: 'Attempts' }), el('th', { text: 'Reason / error' }),
          el('th', { text: '' }))));
        var tb = el('tbody');
        list.entries.forEach(function (d) {
          var err = el('td', { cls: 'err' }, el('div', { cls: 'reason', text: d.reason || '' }),
            el('div', { cls: 'mono error', text: (d.errorClass || '') + (d.errorMessage ? ': ' + d.errorMessage : '') }));
          var headers = el('details', null, el('summary', { text: 'headers & payload' }),
            el('div', { cls: 'mono', text: 'key: ' + (d.key === null ? '(none)' : d.key) }),
            el('div', { cls: 'mono payload', text: 'payload (' + d.payloadBytes + ' B): ' + d.payload }));
          d.headers.forEach(function (h) { headers.appendChild(el('div', { cls: 'mono', text: h.name + ': ' + h.value })); });
          err.appendChild(headers);
          err.appendChild(el('div', { cls: 'sub', text: 'last failure ' + (d.lastFailureAt || '?') }));
          var row = el('tr', { 'data-id': d.id, 'data-testid': 'dead-letter' },
            el('td', { cls: 'mono', text: d.id }),
            el('td', null, el('div', { cls: 'mono original', text: (d.originalTopic || '?') + ' p' + d.originalPartition + ' @' + d.originalOffset }),
              el('div', { cls: 'sub group', text: 'group ' + (d.group || '?') })),
            el('td', { cls: 'num attempts', text: d.attempts }), err);
          var rowActions = el('td', null,
            el('button', { 'data-testid': 'redrive-one', text: 'Redrive', on: { click: function () {
              act(tpath + '/redrive', { ids: d.id }, function (r) { return 'Redrove ' + r.redriven + ' (' + d.id + ')'; }); } } }), ' ',
            dangerButton('purge\n' + t.name + '\n' + d.id, 'Purge', 'purge-one', function () {
              act(tpath + '/purge', { ids: d.id }, function (r) { return 'Purged ' + r.purged + ' (' + d.id + ')'; });
            }));
          row.appendChild(rowActions);
          tb.appendChild(row);
        });
        table.appendChild(tb);
        panel.appendChild(table);
        if (list.pending > list.entries.length) {
          panel.appendChild(el('p', { cls: 'empty', text: 'Showing ' + list.entries.length + ' of ' + fmt(list.pending) + '.' }));
        }
      }
      box.appendChild(panel);
    });
  }

  function render(state) {
    render.last = state;
    renderTopics(state.overview.topics);
    renderGroups(state.overview.groups, state.history);
    renderDlqs(state.overview.topics, state.dlqs);
    var ro = document.getElementById('read-only');
    ro.hidden = !state.overview.readOnly;
    if (state.overview.readOnly) {
      Array.prototype.forEach.call(document.querySelectorAll('main button'), function (b) {
        b.disabled = true;
        b.title = 'read-only: the store is open for reading';
      });
    }
  }

  function refresh() {
    if (busy) return Promise.resolve();
    busy = true;
    var status = document.getElementById('status');
    return Promise.all([api('/api/overview'), api('/api/history')]).then(function (r) {
      var overview = r[0], history = r[1];
      var dlqs = overview.topics.filter(function (t) { return t.deadLetterTopic; }).map(function (t) {
        return api('/api/dlq/' + encodeURIComponent(t.name) + '?limit=50').catch(function () { return null; });
      });
      return Promise.all(dlqs).then(function (lists) {
        render({ overview: overview, history: history, dlqs: lists });
        status.className = 'status';
        status.textContent = 'updated ' + new Date().toLocaleTimeString();
        document.body.setAttribute('data-updated', String(Date.now()));
      });
    }).catch(function (e) {
      status.className = 'status error';
      status.textContent = 'cannot reach the store: ' + e.message;
    }).then(function () { busy = false; });
  }

  function schedule() {
    clearInterval(timer);
    if (document.getElementById('auto').checked) timer = setInterval(refresh, REFRESH_MS);
  }

  document.getElementById('auto').addEventListener('change', schedule);
  refresh();
  schedule();
})();
