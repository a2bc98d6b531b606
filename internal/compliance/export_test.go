package compliance

// CheckHTML lets the external golden tests check the HTML reports.
var CheckHTML = checkHTML
