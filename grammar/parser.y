/*
** parser.y: the grammar of the rule language.
**
** A pure (reentrant) LALR(1) parser with byte-offset locations.  Actions
** are one-line calls to the constructors in ast.c and parse.c; every
** check beyond the shape of the text lives in sema.c.  Error recovery
** resynchronises at the next declaration keyword, so one run reports one
** error per broken declaration rather than stopping at the first.
**
** Edits belong in this file, not in the generated parser.c.
*/
%define api.pure full
%define api.prefix {lrc_yy}
%define parse.error custom
%define api.location.type {span}
%locations
%expect 0
%param {void *scanner}
%parse-param {parse_ctx *p}

%code requires {
#include "ast.h"
#include "parse.h"
#define LRC_YYLLOC_DEFAULT(Cur, Rhs, N)                                   \
	do {                                                              \
		if (N) {                                                  \
			(Cur).start = YYRHSLOC(Rhs, 1).start;             \
			(Cur).end = YYRHSLOC(Rhs, N).end;                 \
		} else {                                                  \
			(Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;   \
		}                                                         \
	} while (0)
}

%code provides {
/* flex's bison bridge names the types without the prefix. */
#ifndef YYSTYPE
#define YYSTYPE LRC_YYSTYPE
#endif
#ifndef YYLTYPE
#define YYLTYPE LRC_YYLTYPE
#endif
int lrc_yylex(LRC_YYSTYPE *lval, LRC_YYLTYPE *lloc, void *scanner);
}

%union {
	strval str;
	expr *ex;
	decl *dc;
	ident *id;
	ptrvec *list;
	action *act;
	citation *cit;
	table_row *row;
	phase *ph;
	given *gv;
	expectation *xp;
	int ival;
}

%token FENCE_OPEN "start of a rule block"
%token FENCE_CLOSE "end of the rule block"
%token <str> IDENT "name"
%token <str> NUMBER "number"
%token <str> UNIT "unit"
%token <str> DATE "date"
%token <str> STRING "text in quotes"
%token <str> INTERVAL "interval such as q4w"
%token <str> VERB "action verb"
%token <str> INPUT "'input'" PARAM "'param'" SOURCE "'source'" LET "'let'"
%token <str> RULESET "'ruleset'"
%token <str> STATEMENT "'statement'"
%token <str> RULE "'rule'" TABLE "'table'" SCHEDULE "'schedule'" EXAMPLE "'example'"
%token <str> WHEN "'when'" THEN "'then'" CITE "'cite'" AT "'at'" QUOTE "'quote'"
%token <str> AND "'and'" OR "'or'" NOT "'not'" IS "'is'" MISSING "'missing'" KNOWN "'known'"
%token <str> ONE "'one'" OF "'of'" BETWEEN "'between'" BEFORE "'before'" AFTER "'after'"
%token <str> ON "'on'" WITHIN "'within'" IF "'if'" ELSE "'else'" OTHERWISE "'otherwise'"
%token <str> AS "'as'" TRUE_KW "'true'" FALSE_KW "'false'" BOOL_KW "'bool'" DATE_KW "'date'"
%token <str> NUMBER_KW "'number'" IN "'in'" FROM "'from'" TO "'to'" BELOW "'below'"
%token <str> ABOVE "'above'" LEAST "'least'" MOST "'most'" BY "'by'" HIT "'hit'" ROW "'row'"
%token <str> GIVES "'gives'" NOTHING "'nothing'" FOR "'for'" ANCHORED "'anchored'"
%token <str> LAST "'last'" EVERY "'every'" GIVEN "'given'" EXPECT "'expect'"
%token MONTH_END "'month end clamps'"
%token MAY_COEXIST "'may coexist with'"
%token <str> SUBJECT "'subject'" OVERRIDES "'overrides'"
%token <str> COMMITTEE "'committee'" DUE "'due'" PHASE "'phase'" PER "'per'"
%token <str> EVALUATED "'evaluated'" ERROR_KW "'error'" COUNTING "'counting'" OVERDUE "'overdue'"
%token LE "'<='" GE "'>='" NE "'!='"

%type <dc> decl rule_body param_body input_decl source_body let_decl table_body sched_body sched_clauses example_body
%type <ex> expr or_expr and_expr not_expr cmp value sum term unary primary amount literal
%type <id> ident stmt_source
%type <list> idlist drug_words phases givens
%type <str> strings opt_title
%type <act> action
%type <cit> cite
%type <row> interval
%type <ph> phase
%type <ival> me_clause
%type <gv> given
%type <xp> expectation
%type <ival> cmpop

%{
#include "lexer.h"
#define YYLLOC_DEFAULT LRC_YYLLOC_DEFAULT
#define YYMAXDEPTH 2000
static void lrc_yyerror(LRC_YYLTYPE *loc, void *scanner, parse_ctx *p, const char *msg);
static decl *me_attach(decl *d, int ok, span loc);
%}

%%

file:
	  %empty
	| file block
	;

block:
	  FENCE_OPEN decls FENCE_CLOSE
	;

decls:
	  %empty
	| decls decl			{ decl_emit(p, $2); }
	| decls error
	;

decl:
	  input_decl
	| PARAM ident '=' value opt_title param_body	{ $$ = decl_finish(p, decl_value(p, $6, $4), @$, $2, $5.s, @5); }
	| SOURCE ident opt_title source_body		{ $$ = decl_finish(p, $4, @$, $2, $3.s, @3); }
	| RULESET ident opt_title source_body		{ $$ = decl_finish(p, decl_as(p, $4, D_RULESET), @$, $2, $3.s, @3); }
	| let_decl
	| RULE ident opt_title rule_body		{ $$ = decl_finish(p, $4, @$, $2, $3.s, @3); }
	| TABLE ident opt_title table_body		{ $$ = decl_finish(p, $4, @$, $2, $3.s, @3); }
	| SCHEDULE ident opt_title sched_body		{ $$ = decl_finish(p, $4, @$, $2, $3.s, @3); }
	| EXAMPLE ident opt_title example_body		{ $$ = decl_finish(p, $4, @$, $2, $3.s, @3); }
	/* subject NAME "description": what an action acts on that is not a schedule */
	| SUBJECT ident opt_title			{ $$ = decl_finish(p, decl_new(p, D_SUBJECT), @$, $2, $3.s, @3); }
	/* ... covers S1, S2: 'covers' is a contextual word, not a keyword */
	| SUBJECT ident opt_title IDENT idlist
		{ $$ = decl_finish(p, decl_covers(p, decl_new(p, D_SUBJECT), $4.s, @4, $5), @$, $2, $3.s, @3); }
	| STATEMENT ident IN stmt_source QUOTE strings
		{ $$ = decl_finish(p, stmt_new(p, $4, $6.s, @6, NULL, @6, NULL, @6), @$, $2, NULL, @$); }
	| STATEMENT ident IN stmt_source QUOTE strings NOT IDENT strings
		{ $$ = decl_finish(p, stmt_new(p, $4, $6.s, @6, $8.s, @8, $9.s, @9), @$, $2, NULL, @$); }
	;

/* After 'in' the scanner reads a word as a unit (input x: number in mg),
 * so the source's name usually arrives as a UNIT token; on the next line
 * it arrives as a name. */
stmt_source:
	  UNIT				{ $$ = id_new(p, @1, $1.s); }
	| ident
	;

ident:
	  IDENT				{ $$ = id_new(p, @1, $1.s); }
	;

opt_title:
	  %empty			{ $$.s = NULL; }
	| strings
	;

strings:
	  STRING
	| strings STRING		{ $$.s = str_concat(p, $1.s, $2.s); }
	;

opt_comma: %empty | ',' ;

/* input NAME: TYPE [from LO to HI] ["description"] */
input_decl:
	  INPUT ident ':' BOOL_KW opt_title
		{ $$ = decl_finish(p, decl_input_type(p, decl_new(p, D_INPUT), IT_BOOL, NULL, @4, NULL), @$, $2, $5.s, @5); }
	| INPUT ident ':' DATE_KW opt_title
		{ $$ = decl_finish(p, decl_input_type(p, decl_new(p, D_INPUT), IT_DATE, NULL, @4, NULL), @$, $2, $5.s, @5); }
	| INPUT ident ':' ONE OF idlist opt_title
		{ $$ = decl_finish(p, decl_input_type(p, decl_new(p, D_INPUT), IT_ENUM, NULL, @4, $6), @$, $2, $7.s, @7); }
	| INPUT ident ':' NUMBER_KW IN UNIT opt_comma FROM value TO value opt_title
		{ $$ = decl_finish(p, decl_range(p, decl_input_type(p, decl_new(p, D_INPUT), IT_NUM, $6.s, @6, NULL), $9, $11), @$, $2, $12.s, @12); }
	| INPUT ident ':' NUMBER_KW IN UNIT opt_title
		{ $$ = decl_finish(p, decl_input_type(p, decl_new(p, D_INPUT), IT_NUM, $6.s, @6, NULL), @$, $2, $7.s, @7); }
	;

idlist:
	  ident				{ $$ = list1(p, $1); }
	| idlist ',' ident		{ $$ = list_add(p, $1, $3); }
	;

param_body:
	  %empty			{ $$ = decl_new(p, D_PARAM); }
	| param_body COMMITTEE strings	{ $$ = decl_committee(p, $1, $3.s, @3); }
	| param_body cite		{ $$ = decl_cite(p, $1, $2); }
	;

source_body:
	  %empty			{ $$ = decl_new(p, D_SOURCE); }
	| source_body IDENT strings	{ $$ = decl_field(p, $1, @2, $2.s, $3.s, @3, 0); }
	| source_body IDENT NUMBER	{ $$ = decl_field(p, $1, @2, $2.s, $3.s, @3, 1); }
	/* After a number the scanner reads a following word as its unit, so in
	 * `year 2024 text "..."` the next field's key arrives as a UNIT token. */
	| source_body IDENT NUMBER UNIT strings
		{ $$ = decl_field(p, decl_field(p, $1, @2, $2.s, $3.s, @3, 1), @4, $4.s, $5.s, @5, 0); }
	;

let_decl:
	  LET ident '=' expr opt_title
		{ $$ = decl_finish(p, decl_value(p, decl_new(p, D_LET), $4), @$, $2, $5.s, @5); }
	| LET ident IN UNIT '=' expr opt_title
		{ $$ = decl_finish(p, decl_value(p, decl_unit(p, decl_new(p, D_LET), $4.s, @4), $6), @$, $2, $7.s, @7); }
	| LET ident '=' expr me_clause opt_title
		{ $$ = decl_finish(p, me_attach(decl_value(p, decl_new(p, D_LET), $4), $5, @5), @$, $2, $6.s, @6); }
	| LET ident IN UNIT '=' expr me_clause opt_title
		{ $$ = decl_finish(p, me_attach(decl_value(p, decl_unit(p, decl_new(p, D_LET), $4.s, @4), $6), $7, @7), @$, $2, $8.s, @8); }
	;

/* The month-end reading an author states (docs/verify.md): the only one
 * the runtime implements is the clamp to the last day of a shorter month. */
me_clause:
	  MONTH_END			{ $$ = 1; }
	;

rule_body:
	  %empty			{ $$ = decl_new(p, D_RULE); }
	| rule_body WHEN expr		{ $$ = decl_when(p, $1, $3); }
	| rule_body THEN action		{ $$ = decl_action(p, $1, $3); }
	/* ... due DATE: the date the action is due on, computed */
	| rule_body THEN action DUE value	{ $$ = decl_action(p, $1, act_due(p, $3, $5, @4)); }
	| rule_body cite		{ $$ = decl_cite(p, $1, $2); }
	| rule_body me_clause		{ $$ = me_attach($1, $2, @2); }
	| rule_body OVERRIDES idlist	{ $$ = decl_overrides(p, $1, $3); }
	| rule_body MAY_COEXIST ident opt_title	{ $$ = decl_coexist(p, $1, $3, $4.s, @4, @2); }
	;

/* VERB [SUBJECT] ...: the subject, a schedule or a 'subject' declaration,
 * is what the action acts on; "per SCHEDULE" implies it. */
action:
	  VERB strings			{ $$ = act_new(p, @$, $1.s, @1, NULL, NULL, NULL, $2.s, @2); }
	| VERB amount ident strings	{ $$ = act_new(p, @$, $1.s, @1, $2, $3, NULL, $4.s, @4); }
	| VERB PER ident strings	{ $$ = act_new(p, @$, $1.s, @1, NULL, NULL, $3, $4.s, @4); }
	| VERB ident strings		{ $$ = act_subject(p, act_new(p, @$, $1.s, @1, NULL, NULL, NULL, $3.s, @3), $2); }
	| VERB ident amount ident strings
		{ $$ = act_subject(p, act_new(p, @$, $1.s, @1, $3, $4, NULL, $5.s, @5), $2); }
	;

amount:
	  NUMBER UNIT			{ $$ = ex_num(p, @$, $1.s, $2.s, @2); }
	| '(' expr ')'			{ $$ = $2; }
	;

cite:
	  CITE ident AT strings QUOTE strings	{ $$ = cite_new(p, $2, $4.s, @4, $6.s, @6); }
	/* ... for S1, S2: the statements this citation encodes (prose coverage). */
	| CITE ident AT strings QUOTE strings FOR idlist
		{ $$ = cite_for(p, cite_new(p, $2, $4.s, @4, $6.s, @6), $8); }
	;

table_body:
	  %empty			{ $$ = decl_new(p, D_TABLE); }
	| table_body BY value opt_comma	{ $$ = decl_table_by(p, $1, $3); }
	| table_body HIT ident		{ $$ = decl_table_hit(p, $1, $3); }
	| table_body ROW interval GIVES value	{ $$ = decl_table_row(p, $1, row_gives(p, $3, $5, span_join(@2, @5))); }
	| table_body ROW interval GIVES NOTHING	{ $$ = decl_table_row(p, $1, row_gives(p, $3, NULL, span_join(@2, @5))); }
	| table_body cite		{ $$ = decl_cite(p, $1, $2); }
	;

/* Intervals of a table key: the words say which ends are included. */
interval:
	  ABOVE value			{ $$ = row_new(p, @$, $2, 1, NULL, 0); }
	| AT LEAST value		{ $$ = row_new(p, @$, $3, 0, NULL, 0); }
	| BELOW value			{ $$ = row_new(p, @$, NULL, 0, $2, 1); }
	| AT MOST value			{ $$ = row_new(p, @$, NULL, 0, $3, 0); }
	| value TO value		{ $$ = row_new(p, @$, $1, 0, $3, 0); }
	| value TO BELOW value		{ $$ = row_new(p, @$, $1, 0, $4, 1); }
	| ABOVE value TO value		{ $$ = row_new(p, @$, $2, 1, $4, 0); }
	| ABOVE value TO BELOW value	{ $$ = row_new(p, @$, $2, 1, $5, 1); }
	;

/* schedule NAME "title"  DRUG AMOUNT ROUTE PHASES  CLAUSES */
sched_body:
	  drug_words amount ident phases sched_clauses	{ $$ = decl_sched_give(p, $5, $1, $2, $3, $4); }
	;

drug_words:
	  ident				{ $$ = list1(p, $1); }
	| drug_words ident		{ $$ = list_add(p, $1, $2); }
	;

phases:
	  phase				{ $$ = list1(p, $1); }
	| phases THEN phase		{ $$ = list_add(p, $1, $3); }
	;

phase:
	  INTERVAL			{ $$ = phase_new(p, @$, $1.s, ex_num(p, @1, $1.s, NULL, @1), NULL); }
	| INTERVAL FOR value		{ $$ = phase_new(p, @$, $1.s, ex_num(p, @1, $1.s, NULL, @1), $3); }
	| EVERY value			{ $$ = phase_new(p, @$, NULL, $2, NULL); }
	| EVERY value FOR value		{ $$ = phase_new(p, @$, NULL, $2, $4); }
	;

sched_clauses:
	  %empty			{ $$ = decl_new(p, D_SCHEDULE); }
	| sched_clauses ','
	| sched_clauses ANCHORED AT ident	{ $$ = decl_sched_ref(p, $1, SREF_ANCHOR, $4, @$); }
	| sched_clauses LAST VERB ON ident	{ $$ = decl_sched_ref(p, $1, SREF_LAST, $5, @3); }
	| sched_clauses EVALUATED ON ident	{ $$ = decl_sched_ref(p, $1, SREF_ASOF, $4, @$); }
	| sched_clauses COUNTING ident	{ $$ = decl_sched_ref(p, $1, SREF_COUNT, $3, @$); }
	| sched_clauses OVERDUE AFTER value	{ $$ = decl_sched_grace(p, $1, $4); }
	| sched_clauses me_clause	{ $$ = me_attach($1, $2, @2); }
	;

example_body:
	  %empty			{ $$ = decl_new(p, D_EXAMPLE); }
	| example_body GIVEN givens	{ $$ = decl_givens(p, $1, $3); }
	| example_body expectation	{ $$ = decl_expect(p, $1, $2); }
	;

givens:
	  given				{ $$ = list1(p, $1); }
	| givens ',' given		{ $$ = list_add(p, $1, $3); }
	;

given:
	  ident '=' literal		{ $$ = given_new(p, $1, $3); }
	;

literal:
	  NUMBER			{ $$ = ex_num(p, @$, $1.s, NULL, @1); }
	| NUMBER UNIT			{ $$ = ex_num(p, @$, $1.s, $2.s, @2); }
	| '-' NUMBER			{ $$ = ex_new(p, EX_NEG, @$, ex_num(p, @2, $2.s, NULL, @2), NULL, NULL); }
	| '-' NUMBER UNIT		{ $$ = ex_new(p, EX_NEG, @$, ex_num(p, @2, $2.s, $3.s, @3), NULL, NULL); }
	| DATE				{ $$ = ex_lit(p, EX_DATE, @$, $1.s); }
	| TRUE_KW			{ $$ = ex_bool(p, @$, 1); }
	| FALSE_KW			{ $$ = ex_bool(p, @$, 0); }
	| IDENT				{ $$ = ex_name(p, @$, $1.s); }
	;

expectation:
	  EXPECT ident			{ $$ = expect_new(p, @$, EXP_FIRES, $2, NULL, NULL, NULL, @$); }
	| EXPECT NOT ident		{ $$ = expect_new(p, @$, EXP_NOT_FIRES, $3, NULL, NULL, NULL, @$); }
	| EXPECT ident VERB literal	{ $$ = expect_new(p, @$, EXP_DOSE, $2, $4, NULL, NULL, @3); }
	| EXPECT ident DUE DATE		{ $$ = expect_new(p, @$, EXP_DUE, $2, NULL, ex_lit(p, EX_DATE, @4, $4.s), NULL, @$); }
	| EXPECT ident DUE DATE PHASE INTERVAL	{ $$ = expect_new(p, @$, EXP_DUE, $2, NULL, ex_lit(p, EX_DATE, @4, $4.s), $6.s, @6); }
	| EXPECT MISSING ident		{ $$ = expect_new(p, @$, EXP_MISSING, $3, NULL, NULL, NULL, @$); }
	| EXPECT ERROR_KW ident		{ $$ = expect_new(p, @$, EXP_ERROR, $3, NULL, NULL, NULL, @$); }
	/* expect RULE overridden (or fires): the words stay names elsewhere (expect_word checks them). */
	| EXPECT ident IDENT		{ $$ = expect_word(p, expect_new(p, @$, EXP_OVERRIDDEN, $2, NULL, NULL, NULL, @$), $3.s, @3); }
	;

/* ---- Expressions: or < and < not < comparison < otherwise < + - < * / < unary */
expr:	or_expr ;

or_expr:
	  and_expr
	| or_expr OR and_expr		{ $$ = ex_new(p, EX_OR, @$, $1, $3, NULL); }
	;

and_expr:
	  not_expr
	| and_expr AND not_expr		{ $$ = ex_new(p, EX_AND, @$, $1, $3, NULL); }
	;

not_expr:
	  cmp
	| NOT not_expr			{ $$ = ex_new(p, EX_NOT, @$, $2, NULL, NULL); }
	;

cmp:
	  value
	| value cmpop value		{ $$ = ex_new(p, (ex_kind)$2, @$, $1, $3, NULL); }
	| value IS MISSING		{ $$ = ex_new(p, EX_MISSING, @$, $1, NULL, NULL); }
	| value IS KNOWN		{ $$ = ex_new(p, EX_KNOWN, @$, $1, NULL, NULL); }
	| value IS NOT MISSING		{ $$ = ex_new(p, EX_KNOWN, @$, $1, NULL, NULL); }
	| value IS IDENT		{ $$ = ex_is(p, @$, $1, $3.s, @3, 0); }
	| value IS NOT IDENT		{ $$ = ex_is(p, @$, $1, $4.s, @4, 1); }
	| value IS OVERDUE		{ $$ = ex_is(p, @$, $1, "overdue", @3, 0); }
	| value IS NOT OVERDUE		{ $$ = ex_is(p, @$, $1, "overdue", @4, 1); }
	| value IS TRUE_KW		{ $$ = $1; }
	| value IS FALSE_KW		{ $$ = ex_new(p, EX_NOT, @$, $1, NULL, NULL); }
	| value IS ONE OF idlist	{ $$ = ex_one_of(p, @$, $1, $5, 0); }
	| value IS NOT ONE OF idlist	{ $$ = ex_one_of(p, @$, $1, $6, 1); }
	| value BETWEEN value AND value	{ $$ = ex_new(p, EX_BETWEEN, @$, $1, $3, $5); }
	| value BEFORE value		{ $$ = ex_new(p, EX_BEFORE, @$, $1, $3, NULL); }
	| value AFTER value		{ $$ = ex_new(p, EX_AFTER, @$, $1, $3, NULL); }
	| value ON OR BEFORE value	{ $$ = ex_new(p, EX_ON_OR_BEFORE, @$, $1, $5, NULL); }
	| value ON OR AFTER value	{ $$ = ex_new(p, EX_ON_OR_AFTER, @$, $1, $5, NULL); }
	| value WITHIN value BEFORE value	{ $$ = ex_new(p, EX_WITHIN_BEFORE, @$, $1, $3, $5); }
	| value WITHIN value AFTER value	{ $$ = ex_new(p, EX_WITHIN_AFTER, @$, $1, $3, $5); }
	;

cmpop:
	  '<'	{ $$ = EX_LT; }
	| LE	{ $$ = EX_LE; }
	| '>'	{ $$ = EX_GT; }
	| GE	{ $$ = EX_GE; }
	| '='	{ $$ = EX_EQ; }
	| NE	{ $$ = EX_NE; }
	;

value:
	  sum
	| value OTHERWISE sum		{ $$ = ex_new(p, EX_OTHERWISE, @$, $1, $3, NULL); }
	;

sum:
	  term
	| sum '+' term			{ $$ = ex_new(p, EX_ADD, @$, $1, $3, NULL); }
	| sum '-' term			{ $$ = ex_new(p, EX_SUB, @$, $1, $3, NULL); }
	;

term:
	  unary
	| term '*' unary		{ $$ = ex_new(p, EX_MUL, @$, $1, $3, NULL); }
	| term '/' unary		{ $$ = ex_new(p, EX_DIV, @$, $1, $3, NULL); }
	;

unary:
	  primary
	| '-' unary			{ $$ = ex_new(p, EX_NEG, @$, $2, NULL, NULL); }
	;

primary:
	  NUMBER			{ $$ = ex_num(p, @$, $1.s, NULL, @1); }
	| NUMBER UNIT			{ $$ = ex_num(p, @$, $1.s, $2.s, @2); }
	| DATE				{ $$ = ex_lit(p, EX_DATE, @$, $1.s); }
	| TRUE_KW			{ $$ = ex_bool(p, @$, 1); }
	| FALSE_KW			{ $$ = ex_bool(p, @$, 0); }
	| IDENT				{ $$ = ex_name(p, @$, $1.s); }
	| '(' expr ')'			{ $$ = $2; }
	| '(' expr ')' AS UNIT		{ $$ = ex_as(p, @$, $2, $5.s, @5); }
	| '(' IF expr THEN expr ELSE expr ')'	{ $$ = ex_new(p, EX_IF, @$, $3, $5, $7); }
	/* months from A to B; day of month of D: 'months', 'day' and 'month'
	 * stay names and units (ex_months_between, ex_day_of_month check
	 * them).  The operands are primaries, so nothing around them binds. */
	| IDENT FROM primary TO primary	{ $$ = ex_months_between(p, @$, $1.s, @1, $3, $5); }
	| IDENT OF IDENT OF primary	{ $$ = ex_day_of_month(p, @$, $1.s, @1, $3.s, @3, $5); }
	| '(' error ')'			{ $$ = ex_error(p, @$); }
	;

%%

static const char *human(yysymbol_kind_t k)
{
	return yysymbol_name(k);
}

/* Tokens whose kind name ("name", "number") does not say which one. */
static int names_text(yysymbol_kind_t k)
{
	return k == YYSYMBOL_IDENT || k == YYSYMBOL_NUMBER || k == YYSYMBOL_UNIT || k == YYSYMBOL_DATE ||
	       k == YYSYMBOL_STRING || k == YYSYMBOL_INTERVAL || k == YYSYMBOL_VERB;
}

/* Messages in the author's terms: what was found, and what would fit. */
static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, parse_ctx *p)
{
	enum { MAXEXP = 6 };
	yysymbol_kind_t expected[MAXEXP];
	yysymbol_kind_t got = yypcontext_token(ctx);
	const LRC_YYLTYPE *loc = yypcontext_location(ctx);
	int n = yypcontext_expected_tokens(ctx, expected, MAXEXP);
	char buf[512];
	size_t len = 0;
	int i;

	(void)scanner;
	p->syntax_errors++;
	ptrvec_push(p->a, &p->error_offsets, (void *)(uintptr_t)loc->start);
	if (got == YYSYMBOL_YYEOF || got == YYSYMBOL_FENCE_CLOSE)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "the rule block ends too early");
	else if (names_text(got) && loc->end > loc->start) {
		/* A name, number or text: show which one, so the author sees it. */
		uint32_t n = loc->end - loc->start;
		const char *more = "";
		if (n > 40) {
			n = 40;
			while (n > 0 && ((unsigned char)p->file->text[loc->start + n] & 0xC0) == 0x80)
				n--;
			more = "...";
		}
		const char *q = got == YYSYMBOL_STRING ? "" : "'";
		len += (size_t)snprintf(buf + len, sizeof buf - len, "unexpected %s %s%.*s%s%s", human(got), q, (int)n,
					p->file->text + loc->start, more, q);
	} else
		len += (size_t)snprintf(buf + len, sizeof buf - len, "unexpected %s", human(got));
	if (n > 0 && n < MAXEXP) {
		len += (size_t)snprintf(buf + len, sizeof buf - len, "; expected ");
		for (i = 0; i < n && len < sizeof buf; i++)
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
						i == 0 ? "" : i == n - 1 ? " or " : ", ", human(expected[i]));
	}
	diag_report(p->diag, DIAG_ERROR, p->file, loc->start, loc->end, "syntax", "%s", buf);
	return 0;
}

static decl *me_attach(decl *d, int ok, span loc)
{
	if (ok) {
		d->month_end = 1;
		d->month_end_loc = loc;
	}
	return d;
}

static void lrc_yyerror(LRC_YYLTYPE *loc, void *scanner, parse_ctx *p, const char *msg)
{
	(void)scanner;
	/* Only bison's "memory exhausted" reaches here with parse.error custom;
	 * it means the parser stack hit YYMAXDEPTH, which authors meet as
	 * nesting, so say that rather than echo bison's wording. */
	(void)msg;
	/* real_diag: even inside an unclosed block (whose errors parse.c
	 * keeps out of sight), stopping the whole file must be said. */
	diag_report(p->real_diag, DIAG_ERROR, p->file, loc->start, loc->end, "too-deep",
		    "this is nested too deeply to read (the parser stops at %d levels); the rest of the file is not checked",
		    YYMAXDEPTH);
}
