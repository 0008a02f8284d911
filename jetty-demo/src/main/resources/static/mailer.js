// The bulk mailer's script: the live audience count and the preview on the compose page, and the
// live progress on a campaign's page. The pages work without it (forms post, pages reload); it
// reads what it needs from data-* attributes, as the Content-Security-Policy allows no inline script.
(function () {
  'use strict';

  function byId(id) {
    return document.getElementById(id);
  }

  function setText(id, value) {
    var element = byId(id);
    if (element) {
      element.textContent = value;
    }
  }

  /** Fetches JSON; resolves to {ok, status, body} whatever the status, rejects on a network error. */
  function fetchJson(url, options) {
    options = options || {};
    options.credentials = 'same-origin';
    options.cache = 'no-store';
    options.headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
    return fetch(url, options).then(function (response) {
      return response.json().then(function (body) {
        return { ok: response.ok, status: response.status, body: body };
      }, function () {
        return { ok: false, status: response.status, body: { error: 'HTTP ' + response.status } };
      });
    });
  }

  // ---- Compose ---------------------------------------------------------------------------

  function compose(form) {
    var segment = byId('segment');
    var city = byId('city');
    var latest = 0;

    function updateCount() {
      var mine = ++latest;
      var url = form.dataset.countUrl + '?segment=' + encodeURIComponent(segment.value)
          + '&city=' + encodeURIComponent(city.value);
      byId('audience-count').classList.add('updating');
      fetchJson(url).then(function (answer) {
        if (mine !== latest) {
          return; // a newer choice is on its way
        }
        setText('count', answer.ok ? answer.body.count.toLocaleString('en-US') : '?');
        byId('audience-count').classList.remove('updating');
      }, function () {
        if (mine === latest) {
          setText('count', '?');
        }
      });
    }

    function field(id) {
      var value = byId(id).value;
      return value.trim() === '' ? null : value;
    }

    function preview() {
      var panel = byId('preview-panel');
      var error = byId('preview-error');
      var button = byId('preview');
      var headers = { 'Content-Type': 'application/json' };
      headers[form.dataset.csrfHeader] = byId('csrf').value;
      button.disabled = true;
      fetchJson(form.dataset.previewUrl, {
        method: 'POST',
        headers: headers,
        body: JSON.stringify({
          subject: byId('subject').value, text: byId('text').value, html: field('html'),
          segment: field('segment'), city: field('city'), replyTo: field('replyTo')
        })
      }).then(function (answer) {
        panel.hidden = false;
        var ok = answer.ok;
        error.hidden = ok;
        panel.querySelectorAll('dl, h3, pre').forEach(function (element) {
          element.hidden = !ok;
        });
        if (!ok) {
          error.textContent = answer.body.error || ('HTTP ' + answer.status);
          setText('preview-note', '');
          byId('preview-html-part').hidden = true;
        } else {
          var letter = answer.body;
          setText('preview-note', 'As the first of ' + letter.recipients.toLocaleString('en-US')
              + ' recipients (customer ' + letter.customer.id + ', ' + letter.customer.segment + ', '
              + letter.customer.city + ') will get it.');
          setText('preview-to', letter.customer.name + ' <' + letter.customer.email + '>');
          setText('preview-subject', letter.subject);
          setText('preview-text', letter.text);
          byId('preview-html-part').hidden = !letter.html;
          byId('preview-html').srcdoc = letter.html || '';
        }
        panel.scrollIntoView({ block: 'nearest' });
      }, function (failure) {
        panel.hidden = false;
        error.hidden = false;
        error.textContent = 'The preview failed: ' + failure;
      }).then(function () {
        button.disabled = false;
      });
    }

    segment.addEventListener('change', updateCount);
    city.addEventListener('change', updateCount);
    byId('preview').addEventListener('click', preview);
    form.addEventListener('submit', function () {
      // One click, one post; the idempotency key covers the rest.
      byId('send').disabled = true;
      byId('send').textContent = 'Sending…';
    });
    window.addEventListener('pageshow', function () {
      byId('send').disabled = false;
      byId('send').textContent = 'Send campaign';
    });
  }

  // ---- Campaign --------------------------------------------------------------------------

  /** Seconds left as the page writes them: "45 s", "3 min 5 s", "2 h 10 min". */
  function eta(seconds) {
    if (seconds === null || seconds === undefined) {
      return '–';
    }
    if (seconds < 60) {
      return seconds + ' s';
    }
    if (seconds < 3600) {
      return Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s';
    }
    return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min';
  }

  /** An ISO-8601 instant as the page writes it: "2026-12-02 10:15:03 UTC". */
  function time(iso) {
    return iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : '–';
  }

  // As CampaignPage.changing: a SENDING campaign with no run that Resume applies to changes no more.
  function changing(campaign) {
    return campaign.active || campaign.state === 'QUEUED' || (campaign.state === 'SENDING' && !campaign.resumable);
  }

  function show(campaign) {
    var progress = byId('progress');
    progress.max = Math.max(1, campaign.total);
    progress.value = campaign.total === 0 ? 1 : campaign.sent + campaign.failed;
    progress.textContent = campaign.percentDone + '%';
    progress.closest('.progress-card').classList.toggle('done', campaign.state === 'COMPLETED');
    setText('percent', campaign.percentDone + '%');
    setText('sent', campaign.sent);
    setText('failed', campaign.failed);
    setText('pending', campaign.pending);
    setText('rate', campaign.rate > 0 ? campaign.rate.toFixed(1) + ' msg/s' : '–');
    setText('eta', eta(campaign.etaSeconds));
    var state = byId('state');
    state.textContent = campaign.state;
    state.className = 'state state-' + campaign.state.toLowerCase();
    var stop = byId('stop-requested');
    stop.hidden = !campaign.stopRequested;
    stop.textContent = campaign.stopRequested ? campaign.stopRequested + ' requested, at the next recipient' : '';
    setText('failure-count', campaign.failed.toLocaleString('en-US'));
    var note = byId('failures-note');
    note.hidden = campaign.failed <= Number(note.dataset.listed);
    setText('started', time(campaign.startedAt));
    setText('finished', time(campaign.finishedAt));
    setText('runs', campaign.runs);
    var reason = byId('reason');
    reason.hidden = !campaign.reason;
    reason.textContent = campaign.reason || '';
  }

  function follow(root) {
    var interval = Number(root.dataset.interval) || 500;
    function poll() {
      fetchJson(root.dataset.api).then(function (answer) {
        if (!answer.ok) {
          setTimeout(poll, interval * 4);
          return;
        }
        show(answer.body);
        if (changing(answer.body)) {
          setTimeout(poll, interval);
        } else {
          // It stopped: the page, loaded again, has the buttons and the failures of the new state.
          window.location.reload();
        }
      }, function () {
        setTimeout(poll, interval * 4); // the server restarting, say
      });
    }
    setTimeout(poll, interval);
  }

  document.addEventListener('DOMContentLoaded', function () {
    var form = byId('compose');
    if (form) {
      compose(form);
    }
    var campaign = byId('campaign');
    if (campaign && campaign.dataset.poll === 'true') {
      follow(campaign);
    }
  });
}());
