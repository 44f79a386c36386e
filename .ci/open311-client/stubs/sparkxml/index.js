// open311 reads XML through sparkxml; the check uses the JSON format only, so
// reaching this means the client took a path the check does not expect.
exports.parseXml = function parseXml() {
  throw new Error('sparkxml stand-in: the Anliegen check uses JSON only');
};
