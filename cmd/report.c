/* verbatim report: not built yet (see the open issue). */
#include "cmds.h"

int cmd_report(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vb_cmd_error("report", "not implemented yet");
	return VB_EXIT_ERROR;
}
