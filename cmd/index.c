/* verbatim index: not built yet (see the open issue). */
#include "cmds.h"

int cmd_index(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vb_cmd_error("index", "not implemented yet");
	return VB_EXIT_ERROR;
}
