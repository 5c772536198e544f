/* verbatim init: not built yet (see the open issue). */
#include "cmds.h"

int cmd_init(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vb_cmd_error("init", "not implemented yet");
	return VB_EXIT_ERROR;
}
