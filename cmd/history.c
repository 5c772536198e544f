/* verbatim history: not built yet (see the open issue). */
#include "cmds.h"

int cmd_history(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vb_cmd_error("history", "not implemented yet");
	return VB_EXIT_ERROR;
}
