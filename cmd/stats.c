/* verbatim stats: not built yet (see the open issue). */
#include "cmds.h"

int cmd_stats(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vb_cmd_error("stats", "not implemented yet");
	return VB_EXIT_ERROR;
}
