package letter

// Positions in millimetres from the top left corner of an A4 page, after
// DIN 5008 form B: the address window of a DL or C5/6 window envelope sits
// 45 mm from the top and 20 mm from the left, 85 × 45 mm, its first 17.7 mm
// for the return address, and the text starts 25 mm from the left.
const (
	pageWidth   = 210.0
	marginLeft  = 25.0
	marginRight = 20.0
	marginTop   = 20.0
	textWidth   = pageWidth - marginLeft - marginRight

	headNameY    = 22.0 // baselines of the letterhead's three lines
	headAddressY = 28.5
	headContactY = 33.0

	windowLeft   = 20.0
	windowTop    = 45.0
	windowWidth  = 85.0
	returnY      = 60.0 // baseline of the return address, last line of its zone
	addressTop   = 62.7 // the address zone below the 17.7 mm of the return address
	addressLineH = 4.23
	addressLines = 6

	infoLeft  = 125.0
	infoTop   = 50.0
	infoWidth = pageWidth - marginRight - infoLeft
	infoStep  = 11.0

	subjectTop = 98.46
	nextTop    = 25.0 // where the text goes on following pages
	bodyBottom = 272.0
	footerY    = 287.0
	headerY    = 15.0 // baseline of the short header on following pages

	foldTop    = 105.0
	foldBottom = 210.0
	holeMark   = 148.5
)

// Type sizes in points and line heights in millimetres.
const (
	fontFamily  = "dejavu"
	bodySize    = 10.0
	lineH       = 5.0
	baseline    = 3.8 // from a line's top to its baseline at bodySize
	smallSize   = 7.5
	returnSize  = 7.0
	headSize    = 14.0
	headSubSize = 8.5
	footerSize  = 8.0
	minFontSize = 5.0
)
