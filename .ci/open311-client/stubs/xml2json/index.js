// open311 converts XML answers to POST through xml2json; the check uses the
// JSON format only, so reaching this means an unexpected path.
exports.toJson = function toJson() {
  throw new Error('xml2json stand-in: the Anliegen check uses JSON only');
};
