/*
 * The bundled demo (`make run`): a small Forth interpreter that runs a
 * script drawing the Mandelbrot set in ASCII with integer fixed-point
 * arithmetic, then a few number games.  An interpreter is a good show for a
 * binary translator: a dispatch loop with an indirect jump per word, calls
 * and returns, and a hot inner loop.
 *
 *   forth [WIDTH HEIGHT MAXITER]      default 76 30 48
 *
 * The language: integers, + - * / mod negate abs min max = <> < > <= >= 0=
 * and or not, dup drop swap over rot nip 2dup 2drop, . emit cr space ."
 * s" c@ @ ! +! 1+ 1-, variable constant, : ; if else then, do loop i j,
 * begin until, begin while repeat, exit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int64_t cell;

enum op {
	OP_LIT,
	OP_CALL,
	OP_RET,
	OP_BRANCH,
	OP_BRANCH0,
	OP_DO,
	OP_LOOP,
	OP_I,
	OP_J,
	OP_PRINT,
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_DIV,
	OP_MOD,
	OP_NEGATE,
	OP_ABS,
	OP_MIN,
	OP_MAX,
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_GT,
	OP_LE,
	OP_GE,
	OP_ZEQ,
	OP_AND,
	OP_OR,
	OP_NOT,
	OP_DUP,
	OP_DROP,
	OP_SWAP,
	OP_OVER,
	OP_ROT,
	OP_NIP,
	OP_2DUP,
	OP_2DROP,
	OP_DOT,
	OP_EMIT,
	OP_CR,
	OP_SPACE,
	OP_CFETCH,
	OP_FETCH,
	OP_STORE,
	OP_PLUSSTORE,
	OP_INC,
	OP_DEC,
};

static const struct {
	const char *name;
	enum op op;
} primitives[] = {
    {"+", OP_ADD},     {"-", OP_SUB},	      {"*", OP_MUL},	    {"/", OP_DIV},
    {"mod", OP_MOD},   {"negate", OP_NEGATE}, {"abs", OP_ABS},	    {"min", OP_MIN},
    {"max", OP_MAX},   {"=", OP_EQ},	      {"<>", OP_NE},	    {"<", OP_LT},
    {">", OP_GT},      {"<=", OP_LE},	      {">=", OP_GE},	    {"0=", OP_ZEQ},
    {"and", OP_AND},   {"or", OP_OR},	      {"not", OP_NOT},	    {"dup", OP_DUP},
    {"drop", OP_DROP}, {"swap", OP_SWAP},     {"over", OP_OVER},    {"rot", OP_ROT},
    {"nip", OP_NIP},   {"2dup", OP_2DUP},     {"2drop", OP_2DROP},  {".", OP_DOT},
    {"emit", OP_EMIT}, {"cr", OP_CR},	      {"space", OP_SPACE},  {"c@", OP_CFETCH},
    {"@", OP_FETCH},   {"!", OP_STORE},	      {"+!", OP_PLUSSTORE}, {"1+", OP_INC},
    {"1-", OP_DEC},    {"i", OP_I},	      {"j", OP_J},
};

#define CODE_SIZE 16384
#define MEM_SIZE 65536
#define STACK 256

static cell code[CODE_SIZE];
static int here;		    /* next free code cell */
static unsigned char mem[MEM_SIZE]; /* variables and string literals */
static int mem_top = 8;
static cell stack[STACK], rstack[STACK];
static int sp, rsp;

struct word {
	char name[32];
	int is_prim;
	cell value; /* primitive op, code address, or constant */
	int is_const;
};
static struct word dict[512];
static int nwords;

static _Noreturn void fail(const char *what, const char *detail)
{
	fflush(stdout);
	fprintf(stderr, "forth: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	exit(1);
}

static struct word *lookup(const char *name)
{
	for (int i = nwords - 1; i >= 0; i--)
		if (!strcmp(dict[i].name, name))
			return &dict[i];
	return NULL;
}

static struct word *define(const char *name)
{
	if (nwords == (int)(sizeof dict / sizeof dict[0]) || strlen(name) >= sizeof dict[0].name)
		fail("cannot define", name);
	struct word *w = &dict[nwords++];
	memset(w, 0, sizeof *w);
	strcpy(w->name, name);
	return w;
}

static void comma(cell v)
{
	if (here == CODE_SIZE)
		fail("code space full", NULL);
	code[here++] = v;
}

static void push(cell v)
{
	if (sp == STACK)
		fail("stack overflow", NULL);
	stack[sp++] = v;
}

static cell pop(void)
{
	if (sp == 0)
		fail("stack underflow", NULL);
	return stack[--sp];
}

static void check_addr(cell a, cell len)
{
	if (a < 0 || len < 0 || a + len > MEM_SIZE)
		fail("address out of range", NULL);
}

/* The inner interpreter: run compiled code from ip until the outer return. */
static void run(int ip)
{
	int base = rsp;
	for (;;) {
		cell a, b;
		switch ((enum op)code[ip++]) {
		case OP_LIT:
			push(code[ip++]);
			break;
		case OP_CALL:
			rstack[rsp++] = ip + 1;
			ip = (int)code[ip];
			break;
		case OP_RET:
			if (rsp == base)
				return;
			ip = (int)rstack[--rsp];
			break;
		case OP_BRANCH:
			ip = (int)code[ip];
			break;
		case OP_BRANCH0:
			ip = pop() ? ip + 1 : (int)code[ip];
			break;
		case OP_DO:
			a = pop();
			b = pop();
			rstack[rsp++] = b;
			rstack[rsp++] = a;
			break;
		case OP_LOOP:
			if (++rstack[rsp - 1] < rstack[rsp - 2])
				ip = (int)code[ip];
			else {
				rsp -= 2;
				ip++;
			}
			break;
		case OP_I:
			push(rstack[rsp - 1]);
			break;
		case OP_J:
			push(rstack[rsp - 3]);
			break;
		case OP_PRINT:
			fwrite(&mem[code[ip]], 1, (size_t)code[ip + 1], stdout);
			ip += 2;
			break;
		case OP_ADD:
			b = pop();
			push(pop() + b);
			break;
		case OP_SUB:
			b = pop();
			push(pop() - b);
			break;
		case OP_MUL:
			b = pop();
			push(pop() * b);
			break;
		case OP_DIV:
			b = pop();
			if (!b)
				fail("division by zero", NULL);
			push(pop() / b);
			break;
		case OP_MOD:
			b = pop();
			if (!b)
				fail("division by zero", NULL);
			push(pop() % b);
			break;
		case OP_NEGATE:
			push(-pop());
			break;
		case OP_ABS:
			a = pop();
			push(a < 0 ? -a : a);
			break;
		case OP_MIN:
			b = pop();
			a = pop();
			push(a < b ? a : b);
			break;
		case OP_MAX:
			b = pop();
			a = pop();
			push(a > b ? a : b);
			break;
		case OP_EQ:
			b = pop();
			push(-(pop() == b));
			break;
		case OP_NE:
			b = pop();
			push(-(pop() != b));
			break;
		case OP_LT:
			b = pop();
			push(-(pop() < b));
			break;
		case OP_GT:
			b = pop();
			push(-(pop() > b));
			break;
		case OP_LE:
			b = pop();
			push(-(pop() <= b));
			break;
		case OP_GE:
			b = pop();
			push(-(pop() >= b));
			break;
		case OP_ZEQ:
			push(-(pop() == 0));
			break;
		case OP_AND:
			b = pop();
			push(pop() & b);
			break;
		case OP_OR:
			b = pop();
			push(pop() | b);
			break;
		case OP_NOT:
			push(~pop());
			break;
		case OP_DUP:
			a = pop();
			push(a);
			push(a);
			break;
		case OP_DROP:
			pop();
			break;
		case OP_SWAP:
			b = pop();
			a = pop();
			push(b);
			push(a);
			break;
		case OP_OVER:
			b = pop();
			a = pop();
			push(a);
			push(b);
			push(a);
			break;
		case OP_ROT: {
			cell c = pop();
			b = pop();
			a = pop();
			push(b);
			push(c);
			push(a);
			break;
		}
		case OP_NIP:
			b = pop();
			pop();
			push(b);
			break;
		case OP_2DUP:
			b = pop();
			a = pop();
			push(a);
			push(b);
			push(a);
			push(b);
			break;
		case OP_2DROP:
			pop();
			pop();
			break;
		case OP_DOT:
			printf("%lld ", (long long)pop());
			break;
		case OP_EMIT:
			putchar((int)pop());
			break;
		case OP_CR:
			putchar('\n');
			break;
		case OP_SPACE:
			putchar(' ');
			break;
		case OP_CFETCH:
			a = pop();
			check_addr(a, 1);
			push(mem[a]);
			break;
		case OP_FETCH:
			a = pop();
			check_addr(a, 8);
			memcpy(&b, &mem[a], 8);
			push(b);
			break;
		case OP_STORE:
			a = pop();
			b = pop();
			check_addr(a, 8);
			memcpy(&mem[a], &b, 8);
			break;
		case OP_PLUSSTORE: {
			a = pop();
			b = pop();
			check_addr(a, 8);
			cell v;
			memcpy(&v, &mem[a], 8);
			v += b;
			memcpy(&mem[a], &v, 8);
			break;
		}
		case OP_INC:
			push(pop() + 1);
			break;
		case OP_DEC:
			push(pop() - 1);
			break;
		default:
			fail("bad opcode", NULL);
		}
	}
}

/* ---- the outer interpreter: tokens, compile state, control-flow stack ---- */

static const char *src;

static int token(char *buf, int size)
{
	while (*src == ' ' || *src == '\t' || *src == '\n')
		src++;
	if (!*src)
		return 0;
	int n = 0;
	while (*src && *src != ' ' && *src != '\t' && *src != '\n') {
		if (n < size - 1)
			buf[n++] = *src;
		src++;
	}
	buf[n] = 0;
	return 1;
}

/* A string literal up to the closing quote: its address and length in mem. */
static void string_literal(cell *addr, cell *len)
{
	if (*src == ' ')
		src++;
	const char *end = strchr(src, '"');
	if (!end)
		fail("unterminated string", NULL);
	*len = end - src;
	if (mem_top + *len > MEM_SIZE)
		fail("memory full", NULL);
	*addr = mem_top;
	memcpy(&mem[mem_top], src, (size_t)*len);
	mem_top += (int)*len;
	src = end + 1;
}

static int parse_number(const char *t, cell *v)
{
	char *end;
	long long n = strtoll(t, &end, 10);
	if (*t == 0 || *end)
		return 0;
	*v = n;
	return 1;
}

static void interpret(const char *text)
{
	char t[64];
	int compiling = 0, ctl[64], nctl = 0;
	struct word *current = NULL;
	int top = here; /* top-level words compile here, then run */

	src = text;
	while (token(t, sizeof t)) {
		if (!strcmp(t, "\\")) {
			while (*src && *src != '\n')
				src++;
			continue;
		}
		if (!strcmp(t, "(")) {
			const char *end = strchr(src, ')');
			src = end ? end + 1 : src + strlen(src);
			continue;
		}
		if (!strcmp(t, ":")) {
			if (!token(t, sizeof t))
				fail("name expected after :", NULL);
			current = define(t);
			current->value = here;
			compiling = 1;
			continue;
		}
		if (!strcmp(t, ";")) {
			if (!compiling || nctl)
				fail("unbalanced ;", current ? current->name : NULL);
			comma(OP_RET);
			compiling = 0;
			top = here;
			continue;
		}
		if (!strcmp(t, "variable") || !strcmp(t, "constant")) {
			int is_var = t[0] == 'v';
			if (!token(t, sizeof t))
				fail("name expected", NULL);
			struct word *w = define(t);
			w->is_const = 1;
			if (is_var) {
				w->value = mem_top;
				mem_top += 8;
			} else {
				comma(OP_RET);
				run(top);
				here = top;
				w->value = pop();
			}
			continue;
		}
		if (!strcmp(t, ".\"") || !strcmp(t, "s\"")) {
			cell addr, len;
			string_literal(&addr, &len);
			if (t[0] == '.') {
				comma(OP_PRINT);
				comma(addr);
				comma(len);
			} else {
				comma(OP_LIT);
				comma(addr);
				comma(OP_LIT);
				comma(len);
			}
			continue;
		}
		if (!strcmp(t, "if") || !strcmp(t, "while")) {
			comma(OP_BRANCH0);
			ctl[nctl++] = here;
			comma(0);
			continue;
		}
		if (!strcmp(t, "else")) {
			if (!nctl)
				fail("else without if", NULL);
			comma(OP_BRANCH);
			comma(0);
			code[ctl[nctl - 1]] = here;
			ctl[nctl - 1] = here - 1;
			continue;
		}
		if (!strcmp(t, "then")) {
			if (!nctl)
				fail("then without if", NULL);
			code[ctl[--nctl]] = here;
			continue;
		}
		if (!strcmp(t, "begin") || !strcmp(t, "do")) {
			if (t[0] == 'd')
				comma(OP_DO);
			ctl[nctl++] = here;
			continue;
		}
		if (!strcmp(t, "until") || !strcmp(t, "loop")) {
			if (!nctl)
				fail("unbalanced", t);
			comma(t[0] == 'u' ? OP_BRANCH0 : OP_LOOP);
			comma(ctl[--nctl]);
			continue;
		}
		if (!strcmp(t, "repeat")) {
			if (nctl < 2)
				fail("repeat without begin/while", NULL);
			int exit_slot = ctl[--nctl];
			comma(OP_BRANCH);
			comma(ctl[--nctl]);
			code[exit_slot] = here;
			continue;
		}
		if (!strcmp(t, "exit")) {
			comma(OP_RET);
			continue;
		}
		struct word *w = lookup(t);
		cell v;
		if (w && w->is_prim) {
			comma(w->value);
		} else if (w && w->is_const) {
			comma(OP_LIT);
			comma(w->value);
		} else if (w) {
			comma(OP_CALL);
			comma(w->value);
		} else if (parse_number(t, &v)) {
			comma(OP_LIT);
			comma(v);
		} else {
			fail("unknown word", t);
		}
		/* Outside a definition, run each line's words as soon as the line ends. */
		if (!compiling && (*src == '\n' || !*src)) {
			comma(OP_RET);
			run(top);
			here = top;
		}
	}
	if (compiling)
		fail("unterminated definition", current ? current->name : NULL);
}

static const char script[] =
    "\\ Mandelbrot in 16-bit fixed point: 65536 is 1.0\n"
    "variable cre variable cim variable zr variable zi variable n\n"
    ": fx* ( a b -- a*b ) * 65536 / ;\n"
    ": escaped? ( -- f ) zr @ dup fx* zi @ dup fx* + 262144 > ;\n"
    ": iterate ( -- n )\n"
    "  0 zr ! 0 zi ! 0 n !\n"
    "  begin escaped? not n @ maxiter < and while\n"
    "    zr @ zi @ fx* 2 * cim @ +\n"
    "    zr @ dup fx* zi @ dup fx* - cre @ +\n"
    "    zr ! zi ! 1 n +!\n"
    "  repeat n @ ;\n"
    ": shade ( n -- ) dup maxiter = if drop 64 emit exit then\n"
    "  s\"  .:-=+*#%\" drop swap 2 / 8 min + c@ emit ;\n"
    ": row ( y -- ) 2 * 1+ 73728 * height / 73728 - cim !\n"
    "  width 0 do i 163840 * width / 131072 - cre ! iterate shade loop cr ;\n"
    ": mandelbrot height 0 do i row loop ;\n"
    "mandelbrot\n"
    "\\ A few number games\n"
    ": prime? ( n -- f ) dup 2 < if drop 0 exit then\n"
    "  2 begin 2dup dup * >= while 2dup mod 0= if 2drop 0 exit then 1+ repeat 2drop -1 ;\n"
    ": primes ( n -- ) 0 do i prime? if i . then loop cr ;\n"
    ": fib ( n -- ) 0 1 rot 0 do over . swap over + loop 2drop cr ;\n"
    ": collatz ( n -- steps ) 0 swap begin dup 1 > while\n"
    "  dup 2 mod if 3 * 1+ else 2 / then swap 1+ swap repeat drop ;\n"
    ".\" primes below 100:  \" 100 primes\n"
    ".\" fibonacci:         \" 20 fib\n"
    ".\" collatz(27) steps: \" 27 collatz . cr\n";

int main(int argc, char **argv)
{
	cell width = 76, height = 30, maxiter = 48;
	if (argc == 4) {
		width = atoi(argv[1]);
		height = atoi(argv[2]);
		maxiter = atoi(argv[3]);
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [WIDTH HEIGHT MAXITER]\n", argv[0]);
		return 2;
	}
	if (width < 1 || height < 1 || maxiter < 1) {
		fprintf(stderr, "forth: sizes must be positive\n");
		return 2;
	}
	for (unsigned i = 0; i < sizeof primitives / sizeof primitives[0]; i++) {
		struct word *w = define(primitives[i].name);
		w->is_prim = 1;
		w->value = primitives[i].op;
	}
	static const char *const names[] = {"width", "height", "maxiter"};
	const cell values[] = {width, height, maxiter};
	for (int i = 0; i < 3; i++) {
		struct word *w = define(names[i]);
		w->is_const = 1;
		w->value = values[i];
	}
	printf("rvkvm demo: a Forth interpreter (riscv64 code, translated) draws the Mandelbrot "
	       "set\n\n");
	interpret(script);
	return 0;
}
