// The annotation keywords milepost's editor schemas carry for yaml-language-server and VS Code
// (markdownDescription, patternErrorMessage, defaultSnippets), declared so that Ajv's strict
// mode accepts them as known vocabulary instead of rejecting them as typos. They do not
// validate anything.
module.exports = function (ajv) {
  for (const keyword of ["markdownDescription", "patternErrorMessage", "defaultSnippets"]) {
    ajv.addKeyword({ keyword, schemaType: keyword === "defaultSnippets" ? "array" : "string" });
  }
  return ajv;
};
