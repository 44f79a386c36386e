// Drives Anliegen's Open311 API with the npm package open311, as an app of
// another city would: discovery, the service list, a service definition,
// submitting a request and reading it back. Prints one JSON line with what it
// saw and exits non-zero at the first surprise.
//
// usage: node check.js BASE_URL API_KEY JURISDICTION
'use strict';

const Open311 = require('open311');

const [base, apiKey, jurisdiction] = process.argv.slice(2);
if (!base || !apiKey || !jurisdiction) {
  console.error('usage: node check.js BASE_URL API_KEY JURISDICTION');
  process.exit(2);
}

const city = new Open311({
  endpoint: base + '/open311/v2/',
  discovery: base + '/open311/v2/discovery.json',
  format: 'json',
  apiKey: apiKey,
  jurisdiction: jurisdiction,
});

function fail(step, detail) {
  console.error('open311 client: ' + step + ': ' + JSON.stringify(detail));
  process.exit(1);
}

function step(name, run) {
  return new Promise((resolve) => {
    run((err, data) => {
      if (err) {
        fail(name, data);
      }
      resolve(data);
    });
  });
}

async function main() {
  const seen = {};

  const discovery = await step('discovery', (cb) => city.serviceDiscovery(cb));
  seen.endpoints = discovery.endpoints.map((e) => e.type);

  const services = await step('service list', (cb) => city.serviceList(cb));
  seen.services = services.map((s) => s.service_code);
  if (!seen.services.includes('schlagloch')) {
    fail('service list', seen.services);
  }

  const definition = await step('definition', (cb) => city.serviceDefinition('schlagloch', cb));
  seen.attributes = definition.attributes.map((a) => a.code + ':' + a.datatype);

  const created = await step('submit', (cb) => city.submitRequest({
    service_code: 'schlagloch',
    lat: 50.8322,
    long: 12.9252,
    email: 'npm-client@example.org',
    first_name: 'Nora',
    last_name: 'Paket',
    description: 'Loch in der Fahrbahn, gemeldet mit dem npm-Paket open311.',
    attributes: { location: 'Straße der Nationen 5', danger: 'no' },
  }, cb));
  seen.id = created[0].service_request_id;
  if (typeof seen.id !== 'string' || seen.id === '') {
    fail('submit', created);
  }

  const back = await step('read back', (cb) => city.serviceRequests(seen.id, cb));
  if (back.length !== 1 || back[0].service_request_id !== seen.id) {
    fail('read back', back);
  }
  seen.status = back[0].status;
  seen.service = back[0].service_code;
  seen.requested = back[0].requested_datetime instanceof Date &&
    !isNaN(back[0].requested_datetime) ? 'date' : 'not a date';

  console.log(JSON.stringify(seen));
}

main().catch((err) => fail('crash', String(err && err.stack || err)));
